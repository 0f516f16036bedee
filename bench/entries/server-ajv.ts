/** node:http + JSON.parse (or URLSearchParams) + ajv compiled at start: the hand-rolled receiver. */
import { createServer } from "node:http";
import { Ajv2020 } from "ajv/dist/2020.js";
import { INVALID_BODY, INVALID_HEADERS, OK_BODY, OK_HEADERS, readBody, serve } from "../lib/serve.js";
import { getQuerySchema, postBodySchema, readContractDocument } from "../peers/contract-document.js";

// The same schemas compiled by ajv at run time, strict, no coercion.
const doc = readContractDocument();
const ajv = new Ajv2020({ strict: true, allErrors: false, coerceTypes: false });
const validators = { post: ajv.compile(postBodySchema(doc)), get: ajv.compile(getQuerySchema(doc)) };

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
