/**
 * openapi/ → generated/: one bundled OpenAPI document, TypeScript types and precompiled
 * validators per contract, and a registry (generated/index.ts) for the runtime. A thin wrapper
 * of the generator (src/codegen/generate-contracts.ts) in its "repository" flavour; users run
 * the same generator on their own templates with `npx impact-event-notifications generate`.
 *
 *   npm run generate          write generated/ from a clean slate (stale files are removed)
 *   npm run generate:check    exit 1 if generated/ differs from a fresh generation
 *
 * Offline and deterministic: inputs are read in sorted order and every generator is pinned.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { TEMPLATES_FOLDER } from "../src/codegen/contracts.js";
import { generateContracts } from "../src/codegen/generate-contracts.js";
import { diffTree, writeTree } from "../src/codegen/write-tree.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: { check: { type: "boolean", default: false }, out: { type: "string", default: join(root, "generated") } },
});
const outDir = values.out;

async function main() {
  const fresh = await generateContracts({
    cwd: root,
    openapiDir: join(root, "openapi"),
    templatesDir: join(root, "openapi", TEMPLATES_FOLDER),
    outDir: join(root, "generated"),
    flavour: "repository",
    commonjs: true,
    onContract: (c) => process.stdout.write(`✔ ${c.folder} (${c.operations}; ${c.ms} ms)\n`),
  });
  for (const warning of fresh.warnings) process.stderr.write(`${warning}\n`);
  if (values.check) {
    const differ = diffTree(fresh.files, outDir).map((d) => `  generated/${d.file} (${d.state})`);
    if (differ.length > 0) {
      process.stderr.write(
        `✖ generated/ is out of date with openapi/:\n${differ.join("\n")}\n` +
          "Run `npm run generate` and commit the result; never edit generated/ by hand.\n",
      );
      process.exit(1);
    }
    process.stdout.write(`✔ generated/ is up to date (${fresh.files.size} files)\n`);
    return;
  }
  writeTree(outDir, fresh.files);
  process.stdout.write(`✔ wrote ${fresh.files.size} files to generated/\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`✖ ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
