/**
 * Bundling: a contract's parsed sources → one OpenAPI 3.1 document.
 *   - the source documents are merged in the order given: path items by method, components by
 *     name; a clash is an error;
 *   - the overlays are applied afterwards, in order;
 *   - `x-impact-format: <name>` is then expanded into the grammar from src/formats.ts;
 *   - the receiver's answers (problem+json refusals) and the POST body's requirements are added
 *     (receiver-responses.ts).
 * No file system and no YAML here: compileTemplate (src/compile/) bundles a template at run time
 * with exactly this code. Reading contract folders is contracts.ts.
 */
import { valueFormats } from "../formats.js";
import { applyOverlay, assertOverlay } from "./overlay.js";
import { describeReceiver } from "./receiver-responses.js";

export type OpenApiDocument = Record<string, unknown> & {
  openapi: string;
  info: { title: string; version: string };
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
};

export interface ContractInput {
  /** Becomes the folder name under generated/ and the `contract` option of the runtime. */
  name: string;
  /** Source documents, already parsed, with the file they came from (for messages and headers). */
  documents: { source: string; document: unknown }[];
  overlays: { source: string; overlay: unknown }[];
  /** What generated files name as their origin; default `openapi/<name>/`. */
  origin?: string;
}

export interface Contract {
  name: string;
  origin: string;
  sources: string[];
  document: OpenApiDocument;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function mergeDocuments(name: string, documents: ContractInput["documents"]): OpenApiDocument {
  if (documents.length === 0) throw new Error(`contract "${name}" has no *.openapi.json or *.openapi.yaml source`);
  const merged: Record<string, unknown> = {};
  for (const { source, document } of documents) {
    if (!isRecord(document) || typeof document.openapi !== "string" || !document.openapi.startsWith("3.1.")) {
      throw new Error(`${source}: expected an OpenAPI 3.1.x document (its schemas are JSON Schema 2020-12)`);
    }
    for (const [key, value] of Object.entries(document)) {
      const current = merged[key];
      if (current === undefined) {
        merged[key] = structuredClone(value);
      } else if (key === "paths" || key === "components") {
        mergeTwoLevels(current as Record<string, Record<string, unknown>>, value, source, key);
      } else if (key === "tags" || key === "servers") {
        const list = current as unknown[];
        for (const item of value as unknown[]) if (!list.some((x) => same(x, item))) list.push(structuredClone(item));
      } else if (!same(current, value) && key !== "info") {
        throw new Error(`${source}: "${key}" differs from an earlier source of contract "${name}"`);
      }
    }
  }
  return merged as OpenApiDocument;
}

/** paths./p.get, components.schemas.X: the second level is where sources may add, never clash. */
function mergeTwoLevels(target: Record<string, Record<string, unknown>>, add: unknown, source: string, key: string) {
  for (const [group, members] of Object.entries(add as Record<string, Record<string, unknown>>)) {
    const into = target[group] ?? {};
    target[group] = into;
    for (const [member, value] of Object.entries(members)) {
      if (into[member] !== undefined && !same(into[member], value)) {
        throw new Error(`${source}: ${key}.${group}.${member} is defined differently by an earlier source`);
      }
      into[member] = structuredClone(value);
    }
  }
}

/** Replaces `x-impact-format: name` with the published grammar, keeping the annotation. */
export function expandFormats(node: unknown, where: string): void {
  if (Array.isArray(node)) {
    for (const item of node) expandFormats(item, where);
    return;
  }
  if (!isRecord(node)) return;
  const format = node["x-impact-format"];
  if (format !== undefined) {
    const grammar = valueFormats[format as keyof typeof valueFormats];
    if (grammar === undefined) {
      throw new Error(
        `${where}: unknown x-impact-format "${String(format)}"; known: ${Object.keys(valueFormats).join(", ")}`,
      );
    }
    if (node.pattern !== undefined && node.pattern !== grammar.pattern) {
      throw new Error(`${where}: a schema with x-impact-format "${String(format)}" must not set its own pattern`);
    }
    node.pattern = grammar.pattern;
  }
  for (const value of Object.values(node)) expandFormats(value, where);
}

export function bundleContract(input: ContractInput): Contract {
  let document = mergeDocuments(input.name, input.documents);
  for (const { source, overlay } of input.overlays) {
    assertOverlay(overlay, source);
    document = applyOverlay(document, overlay, source);
  }
  expandFormats(document, `contract "${input.name}"`);
  describeReceiver(document, input.name);
  return {
    name: input.name,
    origin: input.origin ?? `openapi/${input.name}/`,
    sources: [...input.documents.map((d) => d.source), ...input.overlays.map((o) => o.source)],
    document,
  };
}
