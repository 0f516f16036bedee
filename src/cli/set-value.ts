import { toQueryString } from "../sender/to-query-string.js";
import { decodeComponent } from "../verify/decode-parameters.js";
import { CliError } from "./cli-error.js";

/** Parses `--set key=value`. Values stay strings: impact.com substitutes every macro as text. */
export function parseSet(entry: string): { key: string; value: string } {
  const eq = entry.indexOf("=");
  if (eq <= 0) throw new CliError(`--set needs key=value (e.g. --set payout=5.00), got "${entry}".`);
  return { key: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Sets a value in a POST body by a dotted path: `payout`, `items.0.qty`. Missing objects and
 * arrays on the way are created (a numeric segment makes an array).
 */
export function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split(".");
  if (parts.some((p) => p === "" || FORBIDDEN.has(p))) {
    throw new CliError(`--set ${path}: use a dotted path of plain keys, e.g. items.0.qty.`);
  }
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const nextIsIndex = /^\d+$/.test(parts[i + 1] as string);
    const current = (node as Record<string, unknown>)[part];
    if (typeof current !== "object" || current === null) {
      const created: Record<string, unknown> | unknown[] = nextIsIndex ? [] : {};
      (node as Record<string, unknown>)[part] = created;
      node = created;
    } else {
      node = current as Record<string, unknown>;
    }
  }
  (node as Record<string, unknown>)[parts.at(-1) as string] = value;
}

/**
 * Sets one parameter of a raw GET query, leaving every other byte as it was: a captured query
 * keeps its own escapes, `+`, order and repeated keys, so only what `--set` names differs from
 * what impact.com sent. The first `key` takes the value and later repeats of it are dropped (as
 * URLSearchParams#set does); a missing key is appended. The new pair is encoded by the sender's
 * own `toQueryString` (a space as %20).
 */
export function setQueryValue(query: string, key: string, value: string): string {
  const prefix = query.startsWith("?") ? "?" : "";
  const rest = query.slice(prefix.length);
  const pair = toQueryString({ [key]: value });
  if (rest === "") return `${prefix}${pair}`;
  let found = false;
  const parts: string[] = [];
  for (const part of rest.split("&")) {
    const eq = part.indexOf("=");
    // Names compared as the receiver decodes them (decodeParameters); one that is not UTF-8 matches no key.
    if (decodeComponent(eq === -1 ? part : part.slice(0, eq)) !== key) parts.push(part);
    else if (!found) {
      found = true;
      parts.push(pair);
    }
  }
  if (!found) parts.push(pair);
  return `${prefix}${parts.join("&")}`;
}
