import type { LintIssue } from "./lint-issue.js";

/** `file body:3:5 error unknown_macro Unknown macro … \n  fix: …` — one finding, for terminals. */
export function formatLintIssue(file: string, issue: LintIssue): string {
  const where = issue.at.line === undefined ? issue.at.field : `${issue.at.field}:${issue.at.line}:${issue.at.column}`;
  const mark = issue.severity === "error" ? "✖" : "⚠";
  return `${mark} ${file}${where === "" ? "" : ` ${where}`} ${issue.code}: ${issue.message}\n    fix: ${issue.fix}`;
}
