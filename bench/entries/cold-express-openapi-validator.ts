/** Cold start: express-openapi-validator's middleware, first validated request (its spec loads lazily). */
import "express";
import { reportFirstVerdict } from "../lib/child-report.js";
import { PATH, smallBody } from "../lib/cold-inputs.js";
import { readContractDocument } from "../peers/contract-document.js";
import { createEovMiddleware, eovRequest, runEov } from "../peers/express-openapi-validator.js";

const verdict = await runEov(
  createEovMiddleware(readContractDocument()),
  eovRequest(PATH, { method: "POST", body: smallBody }),
);
if (verdict !== true) throw new Error("the documented body was refused");
reportFirstVerdict();
