// Prints "N passed, N failed" summed over one or more vitest JSON reports:
//   node .ci/summary.mjs <report> <status> [<report> <status> …]
// A run that failed before vitest reported (lint, typecheck, generate:check, build, installing
// Node 24) counts as one failure. With several runs, a line per run comes first; the closing
// line is always the sum.
import { existsSync, readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.log("usage: node .ci/summary.mjs <report> <status> [<report> <status> …]");
  console.log("0 passed, 1 failed");
  process.exit(1);
}

function count(report, status) {
  let passed = 0;
  let failed = 0;
  if (report && existsSync(report)) {
    const json = JSON.parse(readFileSync(report, "utf8"));
    passed = json.numPassedTests ?? 0;
    failed = (json.numFailedTests ?? 0) + (json.numTodoTests ?? 0);
    if (json.numPendingTests > 0)
      console.log(`${json.numPendingTests} tests were skipped: skipped tests count as failed here`);
    failed += json.numPendingTests ?? 0;
  }
  if (Number(status) !== 0 && failed === 0) failed = 1;
  return { passed, failed, ok: Number(status) === 0 && failed === 0 };
}

const runs = [];
for (let i = 0; i < args.length; i += 2) runs.push({ report: args[i], ...count(args[i], args[i + 1]) });
if (runs.length > 1) for (const r of runs) console.log(`  ${r.report}: ${r.passed} passed, ${r.failed} failed`);
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(runs.every((r) => r.ok) ? 0 : 1);
