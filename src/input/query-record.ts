/**
 * Brings every shape a GET query arrives in to one record: key → string, or string[] when the
 * key is repeated (the validator then rejects it unless the contract declares an array).
 * Accepted: URLSearchParams, URL, a raw query string (with or without "?"), a full or
 * path-relative URL string, and a record such as Express's `req.query`.
 */
export interface QueryRecord {
  readonly record: Record<string, unknown>;
  /** JSON pointers of keys that appeared more than once. */
  readonly repeated: ReadonlySet<string> | undefined;
}

import { pointerSegment } from "../pointer.js";
import { queryOf } from "../verify/decode-parameters.js";

const pointer = (key: string) => `/${pointerSegment(key)}`;

export function queryString(input: string): string {
  const hash = input.indexOf("#");
  const s = hash === -1 ? input : input.slice(0, hash);
  if (s.startsWith("?")) return s.slice(1);
  // A URL ("https://…?a=b") or a path ("/postback?a=b", as in an access log): keep the query.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.startsWith("/")) return queryOf(s);
  return s;
}

/** Returns the record, or the offending key when one is `__proto__`. */
export function paramsToRecord(params: URLSearchParams): QueryRecord | { forbidden: string } {
  const record: Record<string, unknown> = {};
  let repeated: Set<string> | undefined;
  for (const [key, value] of params) {
    if (key === "__proto__") return { forbidden: pointer(key) };
    if (!Object.hasOwn(record, key)) {
      record[key] = value;
      continue;
    }
    const current = record[key];
    if (Array.isArray(current)) current.push(value);
    else record[key] = [current, value];
    repeated = repeated ?? new Set();
    repeated.add(pointer(key));
  }
  return { record, repeated };
}

/** A record given by a framework (values string or string[]); arrays mark repeated keys. */
export function recordToQuery(input: Record<string, unknown>): QueryRecord {
  let repeated: Set<string> | undefined;
  for (const key in input) {
    if (Object.hasOwn(input, key) && Array.isArray(input[key])) {
      repeated = repeated ?? new Set();
      repeated.add(pointer(key));
    }
  }
  return { record: input, repeated };
}
