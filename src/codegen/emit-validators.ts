/**
 * Precompiles every request schema with ajv's standalone code generator, then bundles the
 * result with esbuild into self-contained ESM (`validators.mjs`) and CommonJS
 * (`validators.cjs`) modules. Bundling matters: ajv's `code.esm` output still calls
 * `require("ajv/dist/runtime/…")` and `require("ajv-formats/dist/formats")` (ajv-validator/ajv
 * issues #1976, #2209), which breaks under `import`. After bundling, the generated validators
 * need no runtime dependency and nothing compiles a schema at run time.
 *
 * ajv runs in strict mode. OpenAPI-only annotations are declared as keywords instead of turning
 * strict off; no coerceTypes; the production validators stop at the first error, and an
 * `…AllErrors` twin exists for tooling.
 */
import { Ajv2020, type Options } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormatsModule from "ajv-formats";
import { build, type Plugin } from "esbuild";
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

function compile(schemas: RequestSchema[], idPrefix: string, options: Options, suffix: string): string {
  const ajv = new Ajv2020({
    ...options,
    strict: true,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    code: { source: true, esm: true, lines: true },
  });
  addFormats(ajv);
  const keywords = new Set(openApiKeywords);
  for (const s of schemas) vendorKeywords(s.schema, keywords);
  for (const keyword of [...keywords].sort()) ajv.addKeyword({ keyword, schemaType: undefined as never });
  const exports: Record<string, string> = {};
  for (const s of schemas) {
    const id = `${idPrefix}${s.exportName}${suffix}`;
    ajv.addSchema({ ...s.schema, $id: id });
    exports[`${s.exportName}${suffix}`] = id;
  }
  return standaloneCode(ajv, exports);
}

export interface EmittedValidators {
  esm: string;
  cjs: string;
  dts: string;
}

export async function emitValidators(
  contract: string,
  schemas: RequestSchema[],
  header: string,
  resolveDir: string,
): Promise<EmittedValidators> {
  const idPrefix = `urn:impact-event-notifications:${contract}:`;
  const modules: Record<string, string> = {
    "virtual:first-error": compile(schemas, idPrefix, { allErrors: false }, ""),
    "virtual:all-errors": compile(schemas, idPrefix, { allErrors: true }, "AllErrors"),
    "virtual:entry": 'export * from "virtual:first-error";\nexport * from "virtual:all-errors";\n',
  };
  const virtual: Plugin = {
    name: "virtual",
    setup(b) {
      b.onResolve({ filter: /^virtual:/ }, (args) => ({ path: args.path, namespace: "virtual" }));
      b.onLoad({ filter: /.*/, namespace: "virtual" }, (args) => ({
        contents: modules[args.path] ?? "",
        loader: "js",
        resolveDir,
      }));
    },
  };
  const bundle = async (format: "esm" | "cjs") => {
    const out = await build({
      entryPoints: ["virtual:entry"],
      bundle: true,
      write: false,
      format,
      platform: "neutral",
      mainFields: ["main"],
      target: "es2022",
      legalComments: "inline",
      banner: { js: header },
      plugins: [virtual],
      logLevel: "silent",
    });
    return out.outputFiles[0]?.text ?? "";
  };
  const names = schemas.flatMap((s) => [s.exportName, `${s.exportName}AllErrors`]).sort();
  const dts = [
    header,
    "/** A precompiled ajv validator: returns true, or false with `errors` set. */",
    "export interface GeneratedValidator {",
    "  (data: unknown): boolean;",
    "  errors?: { instancePath: string; schemaPath: string; keyword: string; params: Record<string, unknown>; message?: string }[] | null;",
    "}",
    "",
    ...names.map((n) => `export declare const ${n}: GeneratedValidator;`),
    "",
  ].join("\n");
  return { esm: await bundle("esm"), cjs: await bundle("cjs"), dts };
}
