/** Cold start: openapi-backend initialised on the contract, first validateRequest. */
import { reportFirstVerdict } from "../lib/child-report.js";
import { PATH, smallBody } from "../lib/cold-inputs.js";
import { readContractDocument } from "../peers/contract-document.js";
import { createOpenApiBackend } from "../peers/openapi-backend.js";

const api = await createOpenApiBackend(readContractDocument());
if (!api.validateRequest({ method: "POST", path: PATH, body: smallBody, headers: {} }).valid) {
  throw new Error("the documented body was refused");
}
reportFirstVerdict();
