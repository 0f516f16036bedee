/** The "node:http + JSON.parse + ajv" peer: the same schemas compiled by ajv at run time. */
import { Ajv2020 } from "ajv/dist/2020.js";
import { getQuerySchema, type Json, postBodySchema } from "./contract-document.js";

export function compileAjvValidators(doc: Json) {
  const ajv = new Ajv2020({ strict: true, allErrors: false, coerceTypes: false });
  return { post: ajv.compile(postBodySchema(doc)), get: ajv.compile(getQuerySchema(doc)) };
}
