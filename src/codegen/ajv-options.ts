/**
 * The one way this package builds an ajv instance for request schemas: emit-validators.ts uses it
 * to precompile validators (ajv standalone code), compileTemplate (src/compile/) to compile them
 * at run time. Same options, same formats, same keywords, so both give the same verdicts and the
 * same errors for the same schema.
 *
 * ajv runs in strict mode. OpenAPI-only annotations and every `x-…` vendor extension found in the
 * schemas are declared as (annotation) keywords instead of turning strict off; no coerceTypes, no
 * defaults, nothing removed: a validator only reads the notification.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { RequestSchema } from "./request-schemas.js";

// ajv-formats is CommonJS with `exports.default`; under ESM interop the callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

/** Annotation keywords of OpenAPI 3.1 that JSON Schema 2020-12 does not define. */
const openApiKeywords = ["example", "xml", "externalDocs", "discriminator"];

function vendorKeywords(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const n of node) vendorKeywords(n, found);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-")) found.add(key);
      vendorKeywords(value, found);
    }
  }
  return found;
}

export interface RequestAjvOptions {
  /** false: stop at the first error (production validators); true: collect every error (tooling). */
  readonly allErrors: boolean;
  /** Emit standalone source code (emit-validators.ts); off when compiling at run time. */
  readonly standalone?: boolean;
}

/** An ajv instance for `schemas` (the request schemas of one contract); add them with addSchema. */
export function createRequestAjv(schemas: readonly RequestSchema[], options: RequestAjvOptions): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: options.allErrors,
    strict: true,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    ...(options.standalone === true ? { code: { source: true, esm: true, lines: true } } : {}),
  });
  addFormats(ajv);
  const keywords = new Set(openApiKeywords);
  for (const s of schemas) vendorKeywords(s.schema, keywords);
  for (const keyword of [...keywords].sort()) ajv.addKeyword({ keyword, schemaType: undefined as never });
  return ajv;
}

/** The `$id` each request schema is registered under: stable, so errors and code are too. */
export const requestSchemaId = (contract: string, exportName: string) =>
  `urn:impact-event-notifications:${contract}:${exportName}`;
