/**
 * What `inbox` prints about stored rows: times and ages as the options take them, and the request
 * with its secrets masked. The stored target keeps the shared secret (so that `inbox replay` can
 * re-send it byte for byte), and a stored header may hold it too: text output shows neither.
 */
import type { InboxRow } from "../../inbox/store.js";
import { decodeComponent } from "../../verify/decode-parameters.js";
import { CliError } from "../cli-error.js";

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const AGE = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/;
/** ISO 8601 as Date.parse reads it: a date, optionally a time, optionally an offset. */
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `30m`, `12h`, `7d`: a duration in ms, or undefined when the text is not one. */
function ageMs(text: string): number | undefined {
  const match = AGE.exec(text.trim());
  if (match === null) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** `--older-than AGE`: a positive duration in ms. */
export function parseAge(option: string, text: string): number {
  const ms = ageMs(text);
  if (ms === undefined) {
    throw new CliError(`--${option} must be an age like 30m, 12h or 30d (units s, m, h, d, w), got "${text}".`);
  }
  return ms;
}

/** `--since T`, `--until T`: an ISO 8601 date or time, or an age meaning that long before `now`. */
export function parseTime(option: string, text: string, now: number): number {
  const ms = ageMs(text);
  if (ms !== undefined) return now - ms;
  const time = ISO.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new CliError(
      `--${option} must be an ISO 8601 date or time (2026-12-01, 2026-12-01T09:30:00Z) or an age like 30m, 2h, 7d, got "${text}".`,
    );
  }
  return time;
}

export const isoTime = (ms: number) => new Date(ms).toISOString();

/** `3d 4h`, `2h 5m`, `40 s`: the two largest units of a duration. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Names that may carry a secret, in a query parameter or a header. */
const SECRET_NAME = /secret|token|key|sig|pass|auth|credential|cookie/i;
export const MASK = "***";

/**
 * The request target with the values of secret-looking query parameters replaced by `***`, the
 * rest of it as stored. `fields`, for an accepted notification, names the parameters it was made
 * of: any other one (the shared secret under whatever name `--secret-param` gave it) is masked too.
 * Control characters escaped.
 */
export function maskTarget(target: string, fields?: ReadonlySet<string>): string {
  const q = target.indexOf("?");
  if (q === -1) return controlSafe(target);
  const parts = target
    .slice(q + 1)
    .split("&")
    .map((part) => {
      if (part === "") return part;
      const eq = part.indexOf("=");
      const rawName = eq === -1 ? part : part.slice(0, eq);
      const name = decodeComponent(rawName) ?? rawName;
      const unknown = fields !== undefined && !fields.has(name);
      if (eq === -1) return unknown ? MASK : part;
      return unknown || SECRET_NAME.test(name) ? `${rawName}=${MASK}` : part;
    });
  return controlSafe(`${target.slice(0, q)}?${parts.join("&")}`);
}

/** The parameters an accepted GET row's notification was made of; none for a POST (its query is not the notification). */
export function notificationFields(row: InboxRow): ReadonlySet<string> | undefined {
  if (row.status === "rejected" || row.delivery === undefined) return undefined;
  if (row.delivery === "POST" || typeof row.notification !== "object" || row.notification === null) return new Set();
  return new Set(Object.keys(row.notification));
}

/** Headers as `name: value` lines, secret-looking ones masked, everything escaped. */
export function maskHeaders(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(
    ([name, value]) => `${controlSafe(name)}: ${SECRET_NAME.test(name) ? MASK : controlSafe(value)}`,
  );
}

/** Pretty JSON safe for a terminal: JSON escapes the C0 controls; DEL, C1 and U+2028/9 are escaped too. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Text for a terminal, readable as it is: control characters (C0, DEL, C1, U+2028/9) become
 * `\uXXXX`, quotes and backslashes stay. For values shown on their own line or field (`show`),
 * where nothing else has to be told apart from them.
 */
export const controlSafe = (text: string) =>
  text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** `text` cut to `max` characters, with an ellipsis. */
export const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The columns of a table, each padded to its widest cell; the last one is left as is. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
