/**
 * The floor of any validating receiver: node:http with the body read and JSON.parse'd (the query
 * decoded by URLSearchParams for GET), and no validation at all. What separates this row from
 * bare node:http is what merely looking at a notification costs, before any check.
 */
import { createServer } from "node:http";
import { INVALID_BODY, INVALID_HEADERS, OK_BODY, OK_HEADERS, serve } from "../lib/serve.js";

/** Kept so the parse cannot be optimised away. */
export let sink: unknown;

serve(
  createServer((req, res) => {
    if (req.method === "GET") {
      const url = req.url ?? "";
      const q = url.indexOf("?");
      sink = Object.fromEntries(new URLSearchParams(q === -1 ? "" : url.slice(q + 1)));
      res.writeHead(200, OK_HEADERS).end(OK_BODY);
      return;
    }
    // Callbacks, not a promise: the leanest way to hold the whole body.
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        sink = JSON.parse((chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString("utf8"));
      } catch {
        res.writeHead(400, INVALID_HEADERS).end(INVALID_BODY);
        return;
      }
      res.writeHead(200, OK_HEADERS).end(OK_BODY);
    });
  }),
);
