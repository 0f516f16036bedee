/**
 * `generate`: your templates (impact/<name>.template.json|yaml) and contract folders → typed
 * contracts in your project (./impact-contracts: index.js, index.d.ts, validators, types), in any
 * project that installed the package. The repository's own generated/ is scripts/generate.ts.
 *
 * The generator (openapi-typescript, typescript, ajv, esbuild, yaml) is imported lazily, here
 * only: every other command starts without loading any of it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { PROJECT_COMMAND, PROJECT_MARKER } from "../../codegen/emit-project.js";
import { relativePath } from "../../codegen/relative-path.js";
import { diffTree, writeTree } from "../../codegen/write-tree.js";
import { CliError } from "../cli-error.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { parseOptions } from "../parse-options.js";

const options = {
  templates: { type: "string" },
  openapi: { type: "string" },
  out: { type: "string" },
  check: { type: "boolean" },
  config: { type: "string" },
} as const;

export const CONFIG_FILES = [
  "impact-notifications.config.json",
  "impact-notifications.config.yaml",
  "impact-notifications.config.yml",
];
const CONFIG_KEYS = ["$schema", "templates", "openapi", "out", "commonjs"];

const DEFAULT_TEMPLATES = "impact";
const DEFAULT_OUT = "impact-contracts";
const EXAMPLE_TEMPLATE =
  '{ "kind": "action_lifecycle", "method": "GET", "url": "https://you.example/impact?action_id={ActionId}&status={Status}&payout={Payout}" }';

interface ProjectConfig {
  readonly file?: string;
  readonly templates?: string;
  readonly openapi?: string;
  readonly out?: string;
  readonly commonjs?: boolean;
}

async function readConfig(cwd: string, given: string | undefined): Promise<ProjectConfig> {
  let file: string | undefined;
  if (given !== undefined) {
    file = resolve(cwd, given);
    if (!existsSync(file)) throw new CliError(`--config ${given}: no such file.`, exitCodes.environment);
  } else {
    const found = CONFIG_FILES.filter((f) => existsSync(join(cwd, f)));
    if (found.length > 1) {
      throw new CliError(`Found ${found.join(" and ")}: keep one configuration file, or pass --config FILE.`);
    }
    if (found[0] !== undefined) file = join(cwd, found[0]);
  }
  if (file === undefined) return {};
  const name = relativePath(cwd, file);
  let value: unknown;
  try {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".json")) value = JSON.parse(text);
    else value = (await import("yaml")).parse(text, { uniqueKeys: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CliError(`${name} cannot be read: ${reason}. Fix its syntax.`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`${name} must hold an object with the keys ${CONFIG_KEYS.join(", ")}.`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => !CONFIG_KEYS.includes(k));
  if (unknown.length > 0) {
    throw new CliError(
      `${name}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k)).join(", ")}; known keys: ${CONFIG_KEYS.join(", ")}.`,
    );
  }
  const base = dirname(file);
  const path = (key: "templates" | "openapi" | "out") => {
    const v = record[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v === "") throw new CliError(`${name}: "${key}" must be a folder path (text).`);
    return resolve(base, v);
  };
  if (record.commonjs !== undefined && typeof record.commonjs !== "boolean") {
    throw new CliError(`${name}: "commonjs" must be true or false.`);
  }
  const templates = path("templates");
  const openapi = path("openapi");
  const out = path("out");
  return {
    file,
    ...(templates === undefined ? {} : { templates }),
    ...(openapi === undefined ? {} : { openapi }),
    ...(out === undefined ? {} : { out }),
    ...(record.commonjs === undefined ? {} : { commonjs: record.commonjs as boolean }),
  };
}

/** CommonJS unless the nearest package.json says `"type": "module"` (Node's own rule). */
function isCommonJsProject(cwd: string): boolean {
  let dir = cwd;
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type !== "module";
      } catch {
        return true;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

const isInside = (dir: string, parent: string) => {
  const rel = relative(parent, dir);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
};

/** Whether `dir` is an output folder this command wrote: its package.json or index.js says so. */
function isGeneratedFolder(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    if (typeof manifest["//"] === "string" && manifest["//"].startsWith(PROJECT_MARKER)) return true;
  } catch {
    // no or no readable package.json: look at index.js
  }
  try {
    return readFileSync(join(dir, "index.js"), "utf8").startsWith(`// ${PROJECT_MARKER}`);
  } catch {
    return false;
  }
}

function assertWritable(out: string, name: string, cwd: string, inputs: readonly string[]) {
  if (isInside(cwd, out)) {
    throw new CliError(`--out ${name} is the project folder or one of its parents; choose a folder of its own.`);
  }
  for (const input of inputs) {
    if (isInside(input, out) || isInside(out, input)) {
      throw new CliError(
        `--out ${name} overlaps the input folder ${relativePath(cwd, input)}/; choose a folder of its own.`,
      );
    }
  }
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new CliError(`--out ${name} is a file; choose a folder.`);
  if (readdirSync(out).length > 0 && !isGeneratedFolder(out)) {
    throw new CliError(
      `${name}/ is not empty and was not written by \`impact-event-notifications generate\` (no package.json or index.js with its "${PROJECT_MARKER}" note), so it is not deleted. Pass another --out, or empty the folder yourself.`,
    );
  }
}

export async function runGenerate(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("generate", args, options);
  const cwd = process.cwd();
  const config = await readConfig(cwd, values.config);
  const flag = (v: string | undefined) => (v === undefined ? undefined : resolve(cwd, v));
  const templatesGiven = flag(values.templates) ?? config.templates;
  const templates = templatesGiven ?? resolve(cwd, DEFAULT_TEMPLATES);
  const openapi = flag(values.openapi) ?? config.openapi;
  const out = flag(values.out) ?? config.out ?? resolve(cwd, DEFAULT_OUT);
  const commonjs = config.commonjs ?? isCommonJsProject(cwd);
  const show = (dir: string) => relativePath(cwd, dir) || ".";

  if (openapi !== undefined && !existsSync(openapi)) {
    throw new CliError(`The contract folder ${show(openapi)}/ (--openapi) does not exist.`, exitCodes.environment);
  }
  if (!existsSync(templates)) {
    if (templatesGiven !== undefined) {
      throw new CliError(`The templates folder ${show(templates)}/ does not exist.`, exitCodes.environment);
    }
    if (openapi === undefined) {
      throw new CliError(
        `No templates folder ${show(templates)}/. Create ${show(templates)}/<name>.template.json, e.g. ${show(templates)}/me.template.json: ${EXAMPLE_TEMPLATE}, or pass --templates DIR.`,
      );
    }
  }
  const inputs = [templates, ...(openapi === undefined ? [] : [openapi])].filter((d) => existsSync(d));
  const outName = show(out);
  if (values.check !== true) assertWritable(out, outName, cwd, inputs);

  const started = performance.now();
  const { generateContracts, GenerateError } = await import("../../codegen/generate-contracts.js");
  let result: Awaited<ReturnType<typeof generateContracts>>;
  try {
    result = await generateContracts({
      cwd,
      ...(existsSync(templates) ? { templatesDir: templates } : {}),
      ...(openapi === undefined ? {} : { openapiDir: openapi }),
      outDir: out,
      flavour: "project",
      commonjs,
      onContract: (c) => process.stdout.write(`✔ ${c.folder} (${c.operations}; ${c.ms} ms)\n`),
    });
  } catch (error) {
    if (!(error instanceof GenerateError)) throw error;
    if (error.kind === "empty")
      throw new CliError(`${error.message}. See \`impact-event-notifications generate --help\`.`);
    process.stderr.write(`✖ ${error.message}\n`);
    return exitCodes.rejected;
  }
  for (const warning of result.warnings) process.stderr.write(`${warning}\n`);
  const from = inputs.map((d) => `${show(d)}/`).join(" and ");
  const count = `${result.files.size} files, ${result.contracts.length} contract${result.contracts.length === 1 ? "" : "s"}`;
  if (values.check === true) {
    const differ = diffTree(result.files, out);
    if (differ.length > 0) {
      process.stderr.write(
        `✖ ${outName}/ is out of date with ${from}:\n${differ.map((d) => `  ${outName}/${d.file} (${d.state})`).join("\n")}\n` +
          `Run \`${PROJECT_COMMAND}\` and commit the result; never edit ${outName}/ by hand.\n`,
      );
      return exitCodes.rejected;
    }
    process.stdout.write(`✔ ${outName}/ is up to date with ${from} (${count})\n`);
    return exitCodes.ok;
  }
  writeTree(out, result.files);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(
    `✔ wrote ${outName}/ from ${from} (${count}${commonjs ? ", ESM and CommonJS" : ", ESM"}; ${ms} ms)\n`,
  );
  return exitCodes.ok;
}
