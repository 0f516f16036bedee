/**
 * A realistic notification built from a bundled contract (generated/<contract>/openapi.json):
 * every declared query parameter (GET) or body property (POST) gets a value of the shape
 * impact.com sends, reproducibly from a seed.
 */
import type { Delivery } from "../contract.js";
import { type SampleSchema, sampleValue } from "./sample-value.js";
import { type Random, randomInt, seededRandom } from "./seeded-random.js";

interface Schema extends SampleSchema {
  readonly $ref?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
  readonly allOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
}

interface Parameter {
  readonly $ref?: string;
  readonly name?: string;
  readonly in?: string;
  readonly schema?: Schema;
}

interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: {
    readonly $ref?: string;
    readonly content?: Readonly<Record<string, { readonly schema?: Schema }>>;
  };
}

/** The part of a bundled OpenAPI 3 document samples read. */
export interface ContractDocument {
  readonly paths?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly components?: unknown;
}

export interface SampleOptions {
  /** Same seed, same notification. Default 1. */
  readonly seed?: number | string;
}

const MAX_DEPTH = 8;

function resolve<T extends { readonly $ref?: string }>(document: ContractDocument, value: T): T {
  let current: T = value;
  for (let hops = 0; current.$ref !== undefined && hops < MAX_DEPTH; hops++) {
    const ref: string = current.$ref;
    if (!ref.startsWith("#/"))
      throw new TypeError(`Only local $refs can be sampled; bundle the contract first (${ref}).`);
    let target: unknown = document;
    for (const part of ref.slice(2).split("/")) {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      target = typeof target === "object" && target !== null ? (target as Record<string, unknown>)[key] : undefined;
    }
    if (typeof target !== "object" || target === null) throw new TypeError(`Unresolvable $ref ${ref}.`);
    current = target as T;
  }
  return current;
}

/** The branch a real template would produce: not the "empty value" alternative of an anyOf/oneOf. */
function branch(branches: readonly Schema[], document: ContractDocument): Schema | undefined {
  const resolved = branches.map((b) => resolve(document, b));
  const isEmptyOnly = (s: Schema) =>
    (s as { maxLength?: number }).maxLength === 0 || (s as { const?: unknown }).const === "";
  return resolved.find((s) => !isEmptyOnly(s)) ?? resolved[0];
}

function sampleSchema(name: string, raw: Schema, document: ContractDocument, random: Random, depth: number): unknown {
  const schema = resolve(document, raw);
  if (depth > MAX_DEPTH) return undefined;
  const { anyOf, oneOf, allOf, ...rest } = schema;
  const alternative = anyOf ?? oneOf;
  if (alternative !== undefined) {
    const chosen = branch(alternative, document);
    return chosen === undefined ? "" : sampleSchema(name, { ...rest, ...chosen }, document, random, depth + 1);
  }
  if (allOf !== undefined) {
    let merged: Schema = rest;
    for (const part of allOf) {
      const s = resolve(document, part);
      merged = { ...merged, ...s, properties: { ...merged.properties, ...s.properties } };
    }
    return sampleSchema(name, merged, document, random, depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type === "object" || (type === undefined && schema.properties !== undefined)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      const value = sampleSchema(key, child, document, random, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  if (type === "array") {
    const count = randomInt(random, 1, 3);
    return Array.from({ length: count }, () => sampleSchema(name, schema.items ?? {}, document, random, depth + 1));
  }
  if (type === "integer" || type === "number") return randomInt(random, 1, 100);
  if (type === "boolean") return random() < 0.5;
  return sampleValue(name, schema, random);
}

function operationOf(document: ContractDocument, delivery: Delivery): Operation | undefined {
  for (const item of Object.values(document.paths ?? {})) {
    const operation = item[delivery.toLowerCase()];
    if (typeof operation === "object" && operation !== null) return operation as Operation;
  }
  return undefined;
}

/**
 * Builds a sample notification for a contract: a record of query values for GET, a JSON body
 * for POST. Throws a TypeError when the contract has no operation for `delivery`.
 *
 * @example
 *   sampleNotification(openapi, "GET", { seed: 7 })
 *   // → { campaign_id: "19654", action_id: "5196.3159.572175", status: "APPROVED", payout: "183.29" }
 */
export function sampleNotification(
  document: ContractDocument,
  delivery: Delivery,
  options: SampleOptions = {},
): Record<string, unknown> {
  const operation = operationOf(document, delivery);
  if (operation === undefined) throw new TypeError(`The contract describes no ${delivery} notification.`);
  const random = seededRandom(options.seed ?? 1);
  if (delivery === "GET") {
    const out: Record<string, unknown> = {};
    for (const raw of operation.parameters ?? []) {
      const parameter = resolve(document, raw);
      if (parameter.in !== "query" || parameter.name === undefined) continue;
      out[parameter.name] = sampleSchema(parameter.name, parameter.schema ?? {}, document, random, 0);
    }
    return out;
  }
  const body = operation.requestBody === undefined ? undefined : resolve(document, operation.requestBody);
  const media = body?.content?.["application/json"] ?? Object.values(body?.content ?? {})[0];
  const value = sampleSchema("", media?.schema ?? { type: "object" }, document, random, 0);
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
