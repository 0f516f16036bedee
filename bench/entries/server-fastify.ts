/** fastify 5 with the contract's schemas on body and querystring (its defaults: ajv with coercion). */
import Fastify from "fastify";
import { PATH } from "../lib/inputs.js";
import { serve } from "../lib/serve.js";
import { getQuerySchema, postBodySchema, readContractDocument } from "../peers/contract-document.js";

const doc = readContractDocument();
const app = Fastify({ logger: false });
app.post(PATH, { schema: { body: postBodySchema(doc) } }, async () => ({ ok: true }));
app.get(PATH, { schema: { querystring: getQuerySchema(doc) } }, async () => ({ ok: true }));
await app.ready();
serve(app.server);
