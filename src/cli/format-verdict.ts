import type { NotificationIssue } from "../errors/problem.js";
import type { ContractSelector } from "../select-contract.js";
import type { VerifyResult } from "../verify/verify-result.js";
import { escapeLogText } from "./escape-log-text.js";
import { keyFields } from "./key-fields.js";

/**
 * A refusal with no verdict behind it: `not_found` (a path no contract is served on), or
 * `answered_by_node` (Node answered the connection itself, e.g. 408 past requestTimeout).
 */
export interface LogOnlyRefusal {
  readonly ok: false;
  readonly code: "not_found" | "answered_by_node";
  readonly reason: string;
}

/** What `listen` knows about one request when it prints it. */
export interface RequestLog {
  readonly time: Date;
  readonly method: string;
  /** The path only: the query may carry the shared secret. */
  readonly path: string;
  readonly status: number;
  readonly result: VerifyResult<ContractSelector> | LogOnlyRefusal;
  /** The inbox row it was stored as (or a repeat of), when `listen` records. */
  readonly stored?: { readonly id: number; readonly duplicate: boolean } | undefined;
}

const storedText = (log: RequestLog) =>
  log.stored === undefined || log.stored.id === 0
    ? ""
    : log.stored.duplicate
      ? ` · duplicate of #${log.stored.id}`
      : ` · stored #${log.stored.id}`;

const clock = (d: Date) => d.toTimeString().slice(0, 8);

/**
 * Issues or notices as `path message; …`. Paths hold received key names (percent-decoded,
 * attacker-chosen), so they are escaped; messages never hold received text.
 */
export function describeIssues(issues: readonly NotificationIssue[]): string {
  return issues.map((i) => `${i.path ? escapeLogText(i.path) : "(root)"} ${i.message}`).join("; ");
}

/** One readable line: `12:00:01 ✔ accepted GET /notifications campaign_id=… payout=5.00`. */
export function formatVerdictLine(log: RequestLog): string {
  const head = `${clock(log.time)} ${log.result.ok ? "✔ accepted" : `✖ rejected ${log.status}`} ${log.method} ${log.path}`;
  const r = log.result;
  if (r.ok) {
    const notices = describeIssues(r.notices);
    return `${head} ${keyFields(r.notification)}${notices ? ` · notice: ${notices}` : ""}${storedText(log)}`;
  }
  if ("reason" in r) return `${head} ${r.reason}`;
  const issues = describeIssues(r.error.issues);
  return `${head} ${r.error.code}: ${issues || r.error.detail}${storedText(log)}`;
}

/** The same as one JSON object per line, for machines (`listen --json`). */
export function formatVerdictJson(log: RequestLog): string {
  const r = log.result;
  const base = {
    event: "request",
    time: log.time.toISOString(),
    method: log.method,
    path: log.path,
    status: log.status,
    ...(log.stored === undefined || log.stored.id === 0 ? {} : { inbox: log.stored }),
  };
  if (r.ok)
    return JSON.stringify({
      ...base,
      accepted: true,
      contract: r.contract,
      delivery: r.delivery,
      notification: r.notification,
      notices: r.notices,
    });
  if ("reason" in r) return JSON.stringify({ ...base, accepted: false, code: r.code, detail: r.reason });
  return JSON.stringify({
    ...base,
    accepted: false,
    code: r.error.code,
    detail: r.error.detail,
    issues: r.error.issues,
  });
}
