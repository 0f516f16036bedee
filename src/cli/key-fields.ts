/**
 * A short `key=value` rendering of a notification for a log line: top-level string fields only,
 * at most 8, each value cut at 40 characters, control characters escaped (a value is untrusted
 * text and must not forge log lines).
 */
import { escapeLogText } from "./escape-log-text.js";

const MAX_FIELDS = 8;
const MAX_VALUE = 40;

const clean = (value: string) => {
  const safe = escapeLogText(value);
  return safe.length > MAX_VALUE ? `${safe.slice(0, MAX_VALUE - 1)}…` : safe;
};

export function keyFields(notification: unknown): string {
  if (typeof notification !== "object" || notification === null) return "";
  const entries = Object.entries(notification as Record<string, unknown>);
  const parts: string[] = [];
  for (const [key, value] of entries) {
    if (parts.length === MAX_FIELDS) break;
    if (typeof value === "string") parts.push(`${clean(key)}=${clean(value)}`);
    else if (Array.isArray(value)) parts.push(`${clean(key)}=[${value.length}]`);
  }
  const more = entries.length > parts.length ? ` (+${entries.length - parts.length} more)` : "";
  return `${parts.join(" ")}${more}`;
}
