/**
 * A yardstick, not a receiver: bare node:http (as server-bare.ts) plus a calibrated busy loop of
 * `IMPACT_BENCH_BUSY_NS` ns of pure CPU per request, where a receiver would parse and validate.
 * How far this falls behind bare node:http is what that much work costs a server on this machine.
 */
import { createServer } from "node:http";
import { busyLoop, calibrateBusyLoop } from "../lib/busy-loop.js";
import { OK_BODY, OK_HEADERS, serve } from "../lib/serve.js";

const { iterations, measuredNs } = calibrateBusyLoop(Number(process.env.IMPACT_BENCH_BUSY_NS));

serve(
  createServer((req, res) => {
    if (req.method === "POST") {
      req.resume();
      req.once("end", () => {
        busyLoop(iterations);
        res.writeHead(200, OK_HEADERS).end(OK_BODY);
      });
    } else {
      busyLoop(iterations);
      res.writeHead(200, OK_HEADERS).end(OK_BODY);
    }
  }),
  { busyNs: measuredNs },
);
