/**
 * Parse-only: node:http reading the request and parsing it, nothing checked. A POST's body is read
 * whole and given to `JSON.parse`, a GET's query to `URLSearchParams`; every request gets 200.
 * The least any receiver that looks at a notification must do: the floor of the adapter's target.
 */
import { createServer } from "node:http";
import { consume } from "../lib/measure.js";
import { OK_BODY, OK_HEADERS, readBody, serve } from "../lib/serve.js";

serve(
  createServer((req, res) => {
    const ok = () => res.writeHead(200, OK_HEADERS).end(OK_BODY);
    if (req.method !== "POST") {
      const url = req.url ?? "";
      const q = url.indexOf("?");
      consume(new URLSearchParams(q === -1 ? "" : url.slice(q + 1)));
      ok();
      return;
    }
    readBody(req).then((text) => {
      try {
        consume(JSON.parse(text));
      } catch {
        // Parsed or not, the answer is the same: nothing is checked.
      }
      ok();
    }, ok);
  }),
);
