/** HTTP limit: bare node:http, answering 200 after draining the body. No validation at all. */
import { createServer } from "node:http";
import { OK_BODY, OK_HEADERS, serve } from "../lib/serve.js";

serve(
  createServer((req, res) => {
    if (req.method === "POST") {
      req.resume();
      req.once("end", () => res.writeHead(200, OK_HEADERS).end(OK_BODY));
    } else {
      res.writeHead(200, OK_HEADERS).end(OK_BODY);
    }
  }),
);
