/** node:http + JSON.parse (or URLSearchParams) + ajv compiled at start: the hand-rolled receiver. */
import { createServer } from "node:http";
import { INVALID_BODY, INVALID_HEADERS, OK_BODY, OK_HEADERS, readBody, serve } from "../lib/serve.js";
import { compileAjvValidators } from "../peers/ajv-runtime.js";
import { readContractDocument } from "../peers/contract-document.js";

const validators = compileAjvValidators(readContractDocument());

serve(
  createServer((req, res) => {
    const answer = (valid: boolean) =>
      valid ? res.writeHead(200, OK_HEADERS).end(OK_BODY) : res.writeHead(422, INVALID_HEADERS).end(INVALID_BODY);
    if (req.method === "GET") {
      const q = (req.url ?? "").indexOf("?");
      answer(validators.get(Object.fromEntries(new URLSearchParams(q === -1 ? "" : (req.url ?? "").slice(q + 1)))));
      return;
    }
    readBody(req).then(
      (text) => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          answer(false);
          return;
        }
        answer(validators.post(body));
      },
      () => answer(false),
    );
  }),
);
