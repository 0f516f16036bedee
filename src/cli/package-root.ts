import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";

/**
 * The folder holding `generated/`: the repository root when run from source (src/cli/…) and the
 * package root when run from the build (dist/cli.js). Found by walking up from this file.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "generated"))) return dir;
    dir = dirname(dir);
  }
  throw new CliError(
    "Cannot find the generated contracts (generated/). Run `npm run generate` in the repository.",
    exitCodes.environment,
  );
}

/** Every contract with a bundled OpenAPI document, sorted: the folders of generated/. */
export function contractNames(root = packageRoot()): string[] {
  return readdirSync(join(root, "generated"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "generated", entry.name, "openapi.json")))
    .map((entry) => entry.name)
    .sort();
}

export function contractDocumentPath(contract: string, root = packageRoot()): string {
  const file = join(root, "generated", contract, "openapi.json");
  if (!existsSync(file)) {
    throw new CliError(
      `Unknown contract "${contract}". Known: ${contractNames(root).join(", ")}. For your own templates, run \`npx impact-event-notifications generate\` and pass --contracts DIR.`,
      exitCodes.usage,
    );
  }
  return file;
}
