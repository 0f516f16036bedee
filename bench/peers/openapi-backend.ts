/** The openapi-backend peer, initialised on the bundled contract with request validation on. */
import { OpenAPIBackend } from "openapi-backend";
import type { Json } from "./contract-document.js";

export async function createOpenApiBackend(doc: Json): Promise<OpenAPIBackend> {
  const api = new OpenAPIBackend({ definition: doc as never, validate: true, quick: false, strict: false });
  await api.init();
  return api;
}
