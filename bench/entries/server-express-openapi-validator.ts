/** express 5 + express.json() + express-openapi-validator on the bundled contract. */
import { createServer } from "node:http";
import express, { type NextFunction, type Request, type Response } from "express";
import * as OpenApiValidator from "express-openapi-validator";
import { PATH } from "../lib/inputs.js";
import { serve } from "../lib/serve.js";
import { readContractDocument } from "../peers/contract-document.js";

const app = express();
app.use(express.json());
app.use(
  OpenApiValidator.middleware({
    apiSpec: readContractDocument() as never,
    validateRequests: true,
    validateResponses: false,
  }),
);
app.post(PATH, (_req, res) => {
  res.json({ ok: true });
});
app.get(PATH, (_req, res) => {
  res.json({ ok: true });
});
app.use((error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  res.status(error.status ?? 500).json({ ok: false });
});
serve(createServer(app));
