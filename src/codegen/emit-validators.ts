/**
 * Precompiles every request schema with ajv's standalone code generator, then bundles the
 * result with esbuild into self-contained ESM (`validators.mjs`) and CommonJS
 * (`validators.cjs`) modules. Bundling matters: ajv's `code.esm` output still calls
 * `require("ajv/dist/runtime/…")` and `require("ajv-formats/dist/formats")` (ajv-validator/ajv
 * issues #1976, #2209), which breaks under `import`. After bundling, the generated validators
 * need no runtime dependency and nothing compiles a schema at run time.
 *
 * ajv is built by createRequestAjv (ajv-options.ts), shared with compileTemplate: strict mode,
 * OpenAPI annotations declared as keywords, no coercion. The production validators stop at the
 * first error, and an `…AllErrors` twin exists for tooling.
 */
import standaloneCode from "ajv/dist/standalone/index.js";
import { build, type Plugin } from "esbuild";
import { createRequestAjv, requestSchemaId } from "./ajv-options.js";
import type { RequestSchema } from "./request-schemas.js";

function compile(contract: string, schemas: RequestSchema[], allErrors: boolean, suffix: string): string {
  const ajv = createRequestAjv(schemas, { allErrors, standalone: true });
  const exports: Record<string, string> = {};
  for (const s of schemas) {
    const id = requestSchemaId(contract, `${s.exportName}${suffix}`);
    ajv.addSchema({ ...s.schema, $id: id });
    exports[`${s.exportName}${suffix}`] = id;
  }
  return standaloneCode(ajv, exports);
}

export interface EmittedValidators {
  esm: string;
  /** "" when `options.cjs` is false. */
  cjs: string;
  dts: string;
}

export interface EmitValidatorsOptions {
  /** Also bundle the CommonJS module (default true). */
  readonly cjs?: boolean;
  /** What esbuild names bundled files relative to (default: process.cwd()). */
  readonly absWorkingDir?: string;
}

/**
 * `resolveDir`: where ajv's runtime helpers (`ajv/dist/runtime/…`, `ajv-formats`) are resolved
 * from, i.e. a folder that sees this package's node_modules.
 */
export async function emitValidators(
  contract: string,
  schemas: RequestSchema[],
  header: string,
  resolveDir: string,
  options: EmitValidatorsOptions = {},
): Promise<EmittedValidators> {
  const modules: Record<string, string> = {
    "virtual:first-error": compile(contract, schemas, false, ""),
    "virtual:all-errors": compile(contract, schemas, true, "AllErrors"),
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
      ...(options.absWorkingDir === undefined ? {} : { absWorkingDir: options.absWorkingDir }),
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
  const [esm, cjs] = await Promise.all([bundle("esm"), options.cjs === false ? "" : bundle("cjs")]);
  return { esm, cjs, dts };
}
