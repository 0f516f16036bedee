/**
 * Where the CLI's contracts come from: the folder `impact-event-notifications generate` wrote in
 * the user's project (`--contracts DIR`; default: the config file's `out`, else
 * ./impact-contracts when it exists), or the package's built-in contracts. Each contract comes
 * with its bundled OpenAPI document (for samples and Prism).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ContractRuntime } from "../contract.js";
import { builtInContracts, resolveRegistry } from "../select-contract.js";
import type { ContractDocument } from "../testing/index.js";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";
import { contractDocumentPath } from "./package-root.js";

export const CONFIG_FILES = [
  "impact-notifications.config.json",
  "impact-notifications.config.yaml",
  "impact-notifications.config.yml",
] as const;
export const DEFAULT_OUT = "impact-contracts";
const GENERATE = "npx impact-event-notifications generate";

export interface ContractSource {
  /** The generated folder, or undefined for the package's built-in contracts. */
  readonly folder: string | undefined;
  /** Every contract, by name, in name order. */
  readonly contracts: ReadonlyMap<string, ContractRuntime>;
  /** The registry object as exported (for `contracts` options), or undefined for the built-in ones. */
  readonly registry: Readonly<Record<string, ContractRuntime>> | undefined;
  /** The contract of `name`, or a usage error naming the known ones and what to run. */
  get(name: string): ContractRuntime;
  /** The bundled OpenAPI document's path. */
  documentPath(name: string): string;
  document(name: string): ContractDocument;
}

/** The `out` folder named by the project's config file, if there is one and it names one. */
async function configuredOut(cwd: string): Promise<string | undefined> {
  for (const file of CONFIG_FILES) {
    const path = join(cwd, file);
    if (!existsSync(path)) continue;
    let value: unknown;
    try {
      const text = readFileSync(path, "utf8");
      value = file.endsWith(".json") ? JSON.parse(text) : (await import("yaml")).parse(text);
    } catch (error) {
      throw new CliError(
        `${file} cannot be parsed (${error instanceof Error ? error.message.split("\n")[0] : String(error)}). Fix its syntax.`,
        exitCodes.usage,
      );
    }
    const out = (value as { out?: unknown } | null)?.out;
    if (out === undefined) return undefined;
    if (typeof out !== "string" || out === "") {
      throw new CliError(`"out" in ${file} must be a folder path, e.g. "./${DEFAULT_OUT}".`, exitCodes.usage);
    }
    return resolve(cwd, out);
  }
  return undefined;
}

function builtInSource(): ContractSource {
  const contracts = new Map([...builtInContracts].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c]));
  return {
    folder: undefined,
    contracts,
    registry: undefined,
    get(name) {
      const found = contracts.get(name);
      if (found !== undefined) return found;
      throw new CliError(
        `Unknown contract "${name}". Built in: ${[...contracts.keys()].join(", ")}. For your own templates, run \`${GENERATE}\` in your project, then pass --contracts ./${DEFAULT_OUT} (or set "out" in impact-notifications.config.json).`,
        exitCodes.usage,
      );
    },
    documentPath: (name) => contractDocumentPath(name),
    document: (name) => JSON.parse(readFileSync(contractDocumentPath(name), "utf8")) as ContractDocument,
  };
}

async function folderSource(folder: string, cwd: string): Promise<ContractSource> {
  const shown = relative(cwd, folder) || ".";
  const index = join(folder, "index.js");
  if (!existsSync(index)) {
    throw new CliError(
      `${shown}/index.js does not exist: no generated contracts there. Run \`${GENERATE}\` (it writes ./${DEFAULT_OUT} by default), or pass --contracts DIR.`,
      exitCodes.usage,
    );
  }
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(index).href)) as { contracts?: unknown }).contracts;
  } catch (error) {
    throw new CliError(
      `${shown}/index.js cannot be loaded (${error instanceof Error ? error.message.split("\n")[0] : String(error)}). Run \`${GENERATE}\` again.`,
      exitCodes.environment,
    );
  }
  let list: ContractRuntime[];
  try {
    list = resolveRegistry(exported, `${shown}/index.js contracts`);
  } catch (error) {
    throw new CliError(`${(error as Error).message} Run \`${GENERATE}\` again.`, exitCodes.environment);
  }
  const registry = exported as Record<string, ContractRuntime>;
  const contracts = new Map(list.sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c]));
  const documentPath = (name: string) => join(folder, name, "openapi.json");
  return {
    folder,
    contracts,
    registry,
    get(name) {
      const found = contracts.get(name);
      if (found !== undefined) return found;
      throw new CliError(
        `Unknown contract "${name}" in ${shown}. Known: ${[...contracts.keys()].join(", ")}. Add impact/${name}.template.json (or .yaml) and run \`${GENERATE}\`.`,
        exitCodes.usage,
      );
    },
    documentPath,
    document(name) {
      const file = documentPath(name);
      if (!existsSync(file)) {
        throw new CliError(`${relative(cwd, file)} is missing. Run \`${GENERATE}\` again.`, exitCodes.environment);
      }
      return JSON.parse(readFileSync(file, "utf8")) as ContractDocument;
    },
  };
}

/**
 * The contracts a command works with. `--contracts DIR` wins; then the config file's `out`; then
 * ./impact-contracts when it holds an index.js; else the built-in contracts.
 */
export async function loadContractSource(option: string | undefined, cwd = process.cwd()): Promise<ContractSource> {
  if (option !== undefined) return folderSource(resolve(cwd, option), cwd);
  const configured = await configuredOut(cwd);
  if (configured !== undefined) return folderSource(configured, cwd);
  const fallback = join(cwd, DEFAULT_OUT);
  if (existsSync(join(fallback, "index.js"))) return folderSource(fallback, cwd);
  return builtInSource();
}
