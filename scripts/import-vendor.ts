/**
 * Copies the OpenAPI documents embedded in an impact.com docs page (the markdown export of
 * https://integrations.impact.com/partner-api-reference/partner-v15/reference/webhooks/event-notifications)
 * into openapi/documented/vendor/, one file per operation, content unchanged and pretty-printed
 * so that the next docs update is a plain `git diff`.
 *
 *   npm run contracts:import -- <page.md> [--out openapi/documented/vendor]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string", default: "openapi/documented/vendor" } },
});
const [page] = positionals;
if (page === undefined) {
  console.error("usage: npm run contracts:import -- <docs-page.md> [--out DIR]");
  process.exit(2);
}

const text = readFileSync(page, "utf8");
const blocks = [...text.matchAll(/```json\s*\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? "");
let written = 0;
for (const block of blocks) {
  let doc: unknown;
  try {
    doc = JSON.parse(block);
  } catch {
    continue; // not every json block on a page is a contract
  }
  if (typeof doc !== "object" || doc === null || !("openapi" in doc) || !("paths" in doc)) continue;
  const operations = Object.values((doc as { paths: Record<string, Record<string, { operationId?: string }>> }).paths)
    .flatMap((item) => Object.entries(item))
    .map(([method, op]) => op.operationId ?? method);
  const name = operations.join("+");
  const version = (doc as { info?: { version?: string } }).info?.version ?? "unversioned";
  const file = join(values.out, `partner-v${version}.${name}.openapi.json`);
  mkdirSync(values.out, { recursive: true });
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`✔ ${file}`);
  written += 1;
}
if (written === 0) {
  console.error(`✖ no OpenAPI document found in ${page}: expected fenced \`\`\`json blocks with "openapi" and "paths"`);
  process.exit(1);
}
