/**
 * Derives, from a bundled contract, the JSON Schema every request is checked against:
 * GET → an object schema of its query parameters; POST → its request body schema.
 * `#/components/schemas/X` references become `#/$defs/X` (only those reachable), so each
 * request schema is self-contained for ajv.
 */
import { pointerSegment } from "../pointer.js";
import type { Contract } from "./bundle-contract.js";

export type Delivery = "GET" | "POST";

export interface RequestSchema {
  contract: string;
  operationId: string;
  delivery: Delivery;
  path: string;
  /** What the request carries: the query string, or the body. */
  in: "query" | "body";
  /** Export name of the generated validator. */
  exportName: string;
  /** Body media types the contract documents (POST only). */
  mediaTypes: string[];
  /** Query parameter names, in contract order (GET only). */
  parameters: { name: string; required: boolean; array: boolean }[];
  /** JSON pointers (with `*` for any array index) of open enums and their known values. */
  knownValues: { path: string; values: string[] }[];
  schema: Record<string, unknown>;
}

type Schema = Record<string, unknown>;
const isRecord = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

function resolveComponent(contract: Contract, value: unknown, group: string): Schema {
  if (!isRecord(value)) throw new Error(`contract "${contract.name}": expected an object in ${group}`);
  const ref = value.$ref;
  if (typeof ref !== "string") return value;
  const prefix = `#/components/${group}/`;
  if (!ref.startsWith(prefix)) throw new Error(`contract "${contract.name}": unsupported $ref ${ref}`);
  const target = contract.document.components?.[group]?.[ref.slice(prefix.length)];
  if (target === undefined) throw new Error(`contract "${contract.name}": $ref ${ref} points nowhere`);
  return resolveComponent(contract, target, group);
}

/** Deep copy with schema refs rewritten; collects the names of referenced component schemas. */
function rewriteRefs(node: unknown, used: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, used));
  if (!isRecord(node)) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")) {
      const name = value.slice("#/components/schemas/".length);
      used.add(name);
      out.$ref = `#/$defs/${name}`;
    } else {
      out[key] = rewriteRefs(value, used);
    }
  }
  return out;
}

function selfContained(contract: Contract, schema: unknown): Schema {
  const used = new Set<string>();
  const root = rewriteRefs(schema, used) as Schema;
  const defs: Schema = {};
  const all = contract.document.components?.schemas ?? {};
  const pending = [...used];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (defs[name] !== undefined) continue;
    if (all[name] === undefined)
      throw new Error(`contract "${contract.name}": schema ${name} is referenced but not defined`);
    const before = new Set(used);
    defs[name] = rewriteRefs(all[name], used);
    for (const n of used) if (!before.has(n)) pending.push(n);
  }
  const sorted = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((k) => [k, defs[k]]),
  );
  return Object.keys(sorted).length > 0 ? { ...root, $defs: sorted } : root;
}

function collectKnownValues(
  schema: Schema,
  defs: Schema,
  pointer: string,
  out: RequestSchema["knownValues"],
  depth = 0,
) {
  if (depth > 16) return; // recursive schemas: known values deeper than this are not reported
  const ref = schema.$ref;
  if (typeof ref === "string" && ref.startsWith("#/$defs/")) {
    const target = defs[ref.slice("#/$defs/".length)];
    if (isRecord(target)) collectKnownValues(target, defs, pointer, out, depth + 1);
  }
  const known = schema["x-impact-known-values"];
  if (Array.isArray(known)) out.push({ path: pointer, values: known.map(String) });
  if (isRecord(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (isRecord(sub)) {
        collectKnownValues(sub, defs, `${pointer}/${pointerSegment(name)}`, out, depth + 1);
      }
    }
  }
  if (isRecord(schema.items)) collectKnownValues(schema.items, defs, `${pointer}/*`, out, depth + 1);
}

const supported = ["get", "post"] as const;

export function requestSchemas(contract: Contract): RequestSchema[] {
  const result: RequestSchema[] = [];
  for (const [path, item] of Object.entries(contract.document.paths ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [method, operation] of Object.entries(item)) {
      if (!["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(method)) continue;
      if (!supported.includes(method as (typeof supported)[number])) {
        throw new Error(
          `contract "${contract.name}": ${method.toUpperCase()} ${path}: impact.com only sends GET or POST`,
        );
      }
      if (!isRecord(operation) || typeof operation.operationId !== "string") {
        throw new Error(`contract "${contract.name}": ${method.toUpperCase()} ${path} needs an operationId`);
      }
      const delivery = method.toUpperCase() as Delivery;
      if (result.some((r) => r.delivery === delivery)) {
        throw new Error(
          `contract "${contract.name}": more than one ${delivery} operation; one contract describes one configured URL, split it into two contract folders`,
        );
      }
      const base = { contract: contract.name, operationId: operation.operationId, delivery, path, knownValues: [] };
      if (delivery === "GET") {
        const params = [
          ...(Array.isArray(item.parameters) ? item.parameters : []),
          ...(Array.isArray(operation.parameters) ? operation.parameters : []),
        ]
          .map((p) => resolveComponent(contract, p, "parameters"))
          .filter((p) => p.in === "query");
        const properties: Schema = {};
        const parameters: RequestSchema["parameters"] = [];
        for (const p of params) {
          const name = String(p.name);
          const schema = isRecord(p.schema) ? p.schema : {};
          properties[name] = schema;
          parameters.push({ name, required: p.required === true, array: schema.type === "array" });
        }
        const required = parameters.filter((p) => p.required).map((p) => p.name);
        const schema = selfContained(contract, {
          type: "object",
          properties,
          ...(required.length > 0 ? { required } : {}),
          // Extra keys come from the partner's own template; every query value is a string.
          additionalProperties: { type: "string" },
        });
        result.push({
          ...base,
          in: "query",
          exportName: `${operation.operationId}Query`,
          mediaTypes: [],
          parameters,
          schema,
        });
      } else {
        const body = resolveComponent(contract, operation.requestBody ?? {}, "requestBodies");
        const content = isRecord(body.content) ? body.content : {};
        const mediaTypes = Object.keys(content).sort();
        const schemas = mediaTypes.map((m) => (content[m] as Schema | undefined)?.schema);
        const first = schemas[0];
        if (first === undefined) {
          throw new Error(`contract "${contract.name}": POST ${path} documents no request body schema`);
        }
        if (schemas.some((s) => JSON.stringify(s) !== JSON.stringify(first))) {
          throw new Error(
            `contract "${contract.name}": POST ${path}: media types with different schemas are not supported`,
          );
        }
        const schema = selfContained(contract, first);
        result.push({
          ...base,
          in: "body",
          exportName: `${operation.operationId}Body`,
          mediaTypes,
          parameters: [],
          schema,
        });
      }
      const last = result[result.length - 1] as RequestSchema;
      collectKnownValues(last.schema, (last.schema.$defs ?? {}) as Schema, "", last.knownValues);
    }
  }
  return result;
}
