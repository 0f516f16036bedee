/**
 * Contract discovery. Every folder `openapi/<name>/` is one contract:
 *   - every `*.openapi.json|yaml` below it (vendor files included) is a source document, merged
 *     in path order: path items by method, components by name; a clash is an error;
 *   - every `*.overlay.yaml|json` below it is applied afterwards, in path order;
 *   - `x-impact-format: <name>` is then expanded into the grammar from src/formats.ts.
 * The result is one OpenAPI 3.1 document per contract (bundle-contract.ts), the input of every
 * emitter and of Prism. Partner templates (openapi/templates/, see src/codegen/templates/) plug
 * in as more `ContractInput`s; nothing below is special to the documented contract.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import type { ContractInput } from "./bundle-contract.js";
import { relativePath } from "./relative-path.js";

export {
  bundleContract,
  type Contract,
  type ContractInput,
  expandFormats,
  type OpenApiDocument,
} from "./bundle-contract.js";
export { relativePath } from "./relative-path.js";

/** openapi/templates/ holds template configurations (one contract per file), not a contract folder. */
export const TEMPLATES_FOLDER = "templates";

const contractName = /^[a-z][a-z0-9-]*$/;

function walkFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walkFiles(path) : [path];
    });
}

function readStructured(path: string): unknown {
  const text = readFileSync(path, "utf8");
  return path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
}

/**
 * Reads every contract folder of `openapiDir`, sorted by name. Sources and origins are named
 * relative to `root`. A folder named `templates` is skipped: it holds template files.
 */
export function readContractFolders(openapiDir: string, root: string): ContractInput[] {
  return readdirSync(openapiDir)
    .sort()
    .filter((entry) => entry !== TEMPLATES_FOLDER && statSync(join(openapiDir, entry)).isDirectory())
    .map((name) => {
      const origin = `${relativePath(root, join(openapiDir, name))}/`;
      if (!contractName.test(name)) {
        throw new Error(`${origin}: contract folder names must match ${contractName} (they become identifiers)`);
      }
      const files = walkFiles(join(openapiDir, name));
      const rel = (file: string) => relativePath(root, file);
      return {
        name,
        origin,
        documents: files
          .filter((f) => /\.openapi\.(json|ya?ml)$/.test(f))
          .map((f) => ({ source: rel(f), document: readStructured(f) })),
        overlays: files
          .filter((f) => /\.overlay\.(json|ya?ml)$/.test(f))
          .map((f) => ({ source: rel(f), overlay: readStructured(f) })),
      };
    });
}
