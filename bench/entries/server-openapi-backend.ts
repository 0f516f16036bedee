/** node:http + JSON.parse + openapi-backend's handleRequest (routing + validation), no framework. */
import { createServer } from "node:http";
import { OpenAPIBackend } from "openapi-backend";
import { INVALID_BODY, INVALID_HEADERS, OK_BODY, OK_HEADERS, readBody, serve } from "../lib/serve.js";
import { readContractDocument } from "../peers/contract-document.js";

const api = new OpenAPIBackend({
  definition: readContractDocument() as never,
  validate: true,
  quick: false,
  strict: false,
});
await api.init();
api.register({
  receiveEventNotificationGet: () => 200,
  receiveEventNotificationPost: () => 200,
  validationFail: () => 422,
  notFound: () => 404,
});

serve(
  createServer((req, res) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q + 1);
    const handle = async (body: unknown) => {
      const status = (await api.handleRequest({
        method: req.method ?? "GET",
        path,
        query,
        body,
        headers: req.headers as never,
      })) as number;
      if (status === 200) res.writeHead(200, OK_HEADERS).end(OK_BODY);
      else res.writeHead(status, INVALID_HEADERS).end(INVALID_BODY);
    };
    if (req.method !== "POST") {
      void handle(undefined);
      return;
    }
    readBody(req).then((text) => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        res.writeHead(400, INVALID_HEADERS).end(INVALID_BODY);
        return;
      }
      void handle(body);
    });
  }),
);
