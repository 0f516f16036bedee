/**
 * The generator, from any working directory: template files (`<name>.template.json|yaml`) and
 * contract folders (`<openapi>/<name>/`) → the files of one output folder, in memory. Nothing is
 * written here: scripts/generate.ts (the repository's generated/) and the CLI's `generate`
 * (a user's project) decide what to do with the result (write-tree.ts).
 *
 * Two flavours of output:
 *   - "repository": generated/ exactly as the repository commits it (types.ts, validators.mjs,
 *     .cjs, .d.mts, .d.cts, and index.ts importing ../src/contract.js);
 *   - "project": what a user's project gets (emit-project.ts): types.d.ts, validators.js (+ .cjs
 *     for CommonJS projects), index.js, index.d.ts and a package.json.
 *
 * Offline and deterministic: inputs are read in sorted order, every generator is pinned, and every
 * path written into a file is relative to `cwd`, with forward slashes.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleContract, type ContractInput, readContractFolders } from "./contracts.js";
import { emitProjectIndex, PROJECT_COMMAND, projectHeader, projectHeaderText } from "./emit-project.js";
import { emitRegistry, type RegistryEntry } from "./emit-registry.js";
import { emitTypes } from "./emit-types.js";
import { emitValidators } from "./emit-validators.js";
import { relativePath } from "./relative-path.js";
import { requestSchemas } from "./request-schemas.js";
import { readTemplateContracts } from "./templates/read-template-contracts.js";

export type GenerateFlavour = "repository" | "project";

export interface GenerateContractsOptions {
  /** Every relative path below is resolved against it, and every generated path is relative to it. */
  readonly cwd: string;
  /** Folder of `<name>.template.json|yaml` files; skipped when it does not exist. */
  readonly templatesDir?: string;
  /** Folder of contract folders `<name>/` (OpenAPI 3.1 sources and overlays). */
  readonly openapiDir?: string;
  /** Where the files will go: named in progress reports only (files are keyed relative to it). */
  readonly outDir: string;
  readonly flavour: GenerateFlavour;
  /** Project flavour: also emit CommonJS (index.cjs, validators.cjs). The repository always does. */
  readonly commonjs: boolean;
  /** Called as each contract is done, in name order. */
  readonly onContract?: (contract: GeneratedContract) => void;
}

export interface GeneratedContract {
  readonly name: string;
  /** The contract's folder in the output, relative to cwd, e.g. `impact-contracts/me/`. */
  readonly folder: string;
  /** What it checks, e.g. "GET query" or "GET query, POST body". */
  readonly operations: string;
  readonly ms: number;
}

export interface GenerateContractsResult {
  /** Path relative to the output folder (forward slashes) → content. */
  readonly files: Map<string, string>;
  /** Formatted lint warnings, to print on stderr. */
  readonly warnings: readonly string[];
  readonly contracts: readonly GeneratedContract[];
}

/**
 * A problem of the inputs (lint errors, an invalid contract, nothing to generate), as opposed to
 * a bug. `message` may span lines: lint errors list every finding with its fix.
 */
export class GenerateError extends Error {
  override readonly name = "GenerateError";
  readonly kind: "lint" | "contract" | "empty";

  constructor(message: string, kind: GenerateError["kind"]) {
    super(message);
    this.kind = kind;
  }
}

/** Where esbuild resolves ajv's runtime helpers from: this package's own node_modules. */
const ownDir = dirname(fileURLToPath(import.meta.url));

/**
 * esbuild names every bundled file in a comment, relative to the working directory; a helper of
 * ajv would be named after wherever npm, pnpm or npx put it. Keep only the part below the last
 * node_modules/, so the output is the same in every install.
 */
const normalizeBundledPaths = (code: string) => code.replace(/^\/\/ [^\n]*node_modules\/([^\n]*)$/gm, "// $1");

function readInputs(options: GenerateContractsOptions, templatesDir?: string, openapiDir?: string) {
  const { cwd, flavour } = options;
  let templates: ReturnType<typeof readTemplateContracts> = { inputs: [], warnings: [] };
  let folders: ContractInput[] = [];
  try {
    // Template files are linted here, before anything is generated: a lint error stops the run.
    if (templatesDir !== undefined) templates = readTemplateContracts(templatesDir, cwd);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!message.startsWith("the template lint found")) throw error;
    const fixed = flavour === "project" ? message.replace("`npm run generate`", `\`${PROJECT_COMMAND}\``) : message;
    throw new GenerateError(fixed, "lint");
  }
  try {
    if (openapiDir !== undefined) folders = readContractFolders(openapiDir, cwd);
  } catch (error) {
    throw new GenerateError(error instanceof Error ? error.message : String(error), "contract");
  }
  const inputs = [...folders, ...templates.inputs];
  const origins = new Map<string, string>();
  for (const input of inputs) {
    const origin = input.origin ?? input.name;
    const other = origins.get(input.name);
    if (other !== undefined) {
      throw new GenerateError(
        `contract "${input.name}" is defined twice (${other} and ${origin}); rename one`,
        "contract",
      );
    }
    origins.set(input.name, origin);
  }
  inputs.sort((a, b) => (a.name < b.name ? -1 : 1)); // code-unit order: locale-independent
  return { inputs, warnings: templates.warnings };
}

export async function generateContracts(options: GenerateContractsOptions): Promise<GenerateContractsResult> {
  const { cwd, flavour } = options;
  const project = flavour === "project";
  const commonjs = !project || options.commonjs;
  const templatesDir = options.templatesDir === undefined ? undefined : resolve(cwd, options.templatesDir);
  const openapiDir = options.openapiDir === undefined ? undefined : resolve(cwd, options.openapiDir);
  const outName = relativePath(cwd, resolve(cwd, options.outDir)) || ".";
  const { inputs, warnings } = readInputs(options, templatesDir, openapiDir);

  const dirs = [openapiDir, templatesDir]
    .filter((d): d is string => d !== undefined && existsSync(d))
    .map((d) => `${relativePath(cwd, d) || "."}/`);
  if (inputs.length === 0) {
    throw new GenerateError(
      project
        ? `no contract to generate: ${dirs.length === 0 ? "no input folder exists" : `${dirs.join(" and ")} hold no <name>.template.json|yaml file and no contract folder`}`
        : "openapi/ has no contract folder; see openapi/README.md",
      "empty",
    );
  }

  const header = (from: string) =>
    project
      ? projectHeader(from)
      : `// @generated by scripts/generate.ts from ${from} — DO NOT EDIT.\n// Change the contract, then run \`npm run generate\`.`;
  const note = (from: string) =>
    project
      ? projectHeaderText(from)
      : `@generated by scripts/generate.ts from ${from} — DO NOT EDIT. Run \`npm run generate\`.`;

  const files = new Map<string, string>();
  const entries: RegistryEntry[] = [];
  const done: GeneratedContract[] = [];
  for (const input of inputs) {
    const started = performance.now();
    let contract: ReturnType<typeof bundleContract>;
    let schemas: ReturnType<typeof requestSchemas>;
    try {
      contract = bundleContract(input);
      schemas = requestSchemas(contract);
    } catch (error) {
      throw new GenerateError(error instanceof Error ? error.message : String(error), "contract");
    }
    const from = contract.origin;
    const name = contract.name;
    files.set(
      `${name}/openapi.json`,
      `${JSON.stringify({ "x-generated": note(from), ...contract.document }, null, 2)}\n`,
    );
    const types = await emitTypes(contract.document, header(from));
    const validators = await emitValidators(name, schemas, header(from), ownDir, { cjs: commonjs, absWorkingDir: cwd });
    const esm = normalizeBundledPaths(validators.esm);
    const cjs = normalizeBundledPaths(validators.cjs);
    if (project) {
      files.set(`${name}/types.d.ts`, types);
      files.set(`${name}/validators.js`, esm);
      files.set(`${name}/validators.d.ts`, validators.dts);
      if (commonjs) {
        files.set(`${name}/validators.cjs`, cjs);
        files.set(`${name}/validators.d.cts`, validators.dts);
      }
    } else {
      files.set(`${name}/types.ts`, types);
      files.set(`${name}/validators.mjs`, esm);
      files.set(`${name}/validators.cjs`, cjs);
      files.set(`${name}/validators.d.mts`, validators.dts);
      files.set(`${name}/validators.d.cts`, validators.dts);
    }
    entries.push({ name, sources: contract.sources, schemas, template: contract.document["x-impact-template"] });
    const generated: GeneratedContract = {
      name,
      folder: outName === "." ? `${name}/` : `${outName}/${name}/`,
      operations: schemas.map((s) => `${s.delivery} ${s.in}`).join(", "),
      ms: Math.round(performance.now() - started),
    };
    done.push(generated);
    options.onContract?.(generated);
  }
  if (project) {
    for (const [file, content] of emitProjectIndex(entries, dirs.join(" and "), commonjs)) files.set(file, content);
  } else {
    files.set("index.ts", emitRegistry(entries, header("openapi/")));
  }
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: sorted, warnings, contracts: done };
}
