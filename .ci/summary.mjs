// Prints "N passed, N failed" from vitest's JSON report; a run that failed before vitest
// reported (lint, typecheck, generate:check, build) counts as one failure.
import { existsSync, readFileSync } from "node:fs";

const [report, status] = process.argv.slice(2);
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
console.log(`${passed} passed, ${failed} failed`);
process.exit(Number(status) !== 0 || failed > 0 ? 1 : 0);
