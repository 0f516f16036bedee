/** Cold start: fastify with the body schema, ready, first request injected (no socket). */
import Fastify from "fastify";
import { reportFirstVerdict } from "../lib/child-report.js";
import { PATH, smallBody } from "../lib/cold-inputs.js";
import { postBodySchema, readContractDocument } from "../peers/contract-document.js";

const app = Fastify({ logger: false });
app.post(PATH, { schema: { body: postBodySchema(readContractDocument()) } }, async () => ({ ok: true }));
const response = await app.inject({
  method: "POST",
  url: PATH,
  payload: JSON.stringify(smallBody),
  headers: { "content-type": "application/json" },
});
if (response.statusCode !== 200) throw new Error(`fastify answered ${response.statusCode}`);
reportFirstVerdict();
