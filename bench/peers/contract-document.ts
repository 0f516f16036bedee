/**
 * The bundled documented contract (generated/documented/openapi.json), as every peer receives it,
 * and the two request schemas derived from it for the peers that take plain JSON Schema (ajv,
 * fastify). Vendor annotations (`x-…`) and prose are dropped there so each peer's strict mode
 * does not warn; the constraints (types, patterns) are exactly those of the generated validators.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Json = Record<string, unknown>;

/** Children run with the project root as their working directory. */
export function readContractDocument(root = process.cwd()): Json {
  const doc = JSON.parse(readFileSync(join(root, "generated/documented/openapi.json"), "utf8")) as Json;
  delete doc["x-generated"];
  return doc;
}

function clean(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(clean);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith("x-") || key === "description" || key === "example") continue;
    out[key] =
      key === "$ref" && typeof value === "string" ? value.replace("#/components/schemas/", "#/$defs/") : clean(value);
  }
  return out;
}

type Operation = { parameters?: { name: string; schema: unknown; required?: boolean }[]; requestBody?: Json };

function operation(doc: Json, method: "get" | "post"): Operation {
  const paths = doc.paths as Record<string, Record<string, Operation>>;
  const found = Object.values(paths)[0]?.[method];
  if (found === undefined) throw new Error(`the documented contract has no ${method} operation`);
  return found;
}

/** The POST body schema, self-contained ($defs). */
export function postBodySchema(doc: Json): Json {
  const content = (operation(doc, "post").requestBody?.content ?? {}) as Record<string, { schema: Json }>;
  const media = content["application/json"];
  const schemas = (doc.components as { schemas: Json }).schemas;
  return { ...(clean(media?.schema) as Json), $defs: clean(schemas) as Json };
}

/** The GET query as an object schema: declared parameters, any other key a string. */
export function getQuerySchema(doc: Json): Json {
  const params = operation(doc, "get").parameters ?? [];
  return {
    type: "object",
    properties: Object.fromEntries(params.map((p) => [p.name, clean(p.schema)])),
    required: params.filter((p) => p.required === true).map((p) => p.name),
    additionalProperties: { type: "string" },
  };
}
