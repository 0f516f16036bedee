import { pointerSegment } from "../pointer.js";
import { decodeUtf8 } from "./decode-utf8.js";

/** A decoded query string or form body: key → string, or string[] when a key repeats. */
export interface DecodedParameters {
  readonly record: Record<string, string | string[]>;
  /** JSON pointers of the keys that appear more than once, in the order they were first repeated. */
  readonly repeated: ReadonlySet<string> | undefined;
  /** The values of the withheld key (the shared secret's parameter), which `record` never holds. */
  readonly withheld: readonly string[] | undefined;
}

export type ParameterError =
  | { readonly error: "too_many_parameters" }
  | { readonly error: "forbidden_key"; readonly path: string }
  | { readonly error: "invalid_utf8"; readonly path: string };

const encoder = new TextEncoder();

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * WHATWG percent-decoding (URL §1.3): "%" not followed by two hex digits stays literal, as
 * URLSearchParams does. Whether impact.com percent-encodes substituted values is unknown
 * (facts §11.5), so a literal "50% off" must survive. Unlike URLSearchParams, bytes that are not
 * UTF-8 are an error instead of silently becoming U+FFFD.
 */
function lenientDecode(s: string): string | undefined {
  const raw = encoder.encode(s);
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as number;
    if (c === 37 && i + 2 < raw.length && isHex(raw[i + 1] as number) && isHex(raw[i + 2] as number)) {
      out[n++] = Number.parseInt(String.fromCharCode(raw[i + 1] as number, raw[i + 2] as number), 16);
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return decodeUtf8(out.subarray(0, n));
}

/** One name or value of form-urlencoded text, as the receiver reads it; undefined when its bytes are not UTF-8. */
export function decodeComponent(s: string): string | undefined {
  let t = s;
  if (t.includes("+")) t = t.replaceAll("+", " ");
  if (!t.includes("%")) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    return lenientDecode(t);
  }
}

/**
 * Decodes `application/x-www-form-urlencoded` text (a query string or a form body) with the
 * WHATWG rules (`+` is a space, empty segments are skipped), counting parameters as it goes so
 * a hostile string is refused at `maxParameters + 1`, never truncated silently.
 * `__proto__` is refused as a key (prototype pollution); the record is a plain object, written
 * only after that check. Values of the `withhold` key (the secret's parameter) are collected
 * apart and never written into the record: deleting them afterwards would also turn the record
 * into a slow dictionary-mode object for the validator.
 */
export function decodeParameters(
  text: string,
  maxParameters: number,
  withhold?: string,
): DecodedParameters | ParameterError {
  const record: Record<string, string | string[]> = {};
  let repeated: Set<string> | undefined;
  let withheld: string[] | undefined;
  let count = 0;
  let start = 0;
  const end = text.length;
  while (start <= end) {
    let amp = text.indexOf("&", start);
    if (amp === -1) amp = end;
    if (amp > start) {
      if (++count > maxParameters) return { error: "too_many_parameters" };
      // The "=" within this segment: a plain loop, since indexOf could run on past the "&".
      let eq = start;
      while (eq < amp && text.charCodeAt(eq) !== 61) eq++;
      const key = decodeComponent(text.slice(start, eq));
      if (key === undefined) return { error: "invalid_utf8", path: "" };
      if (key === "__proto__") return { error: "forbidden_key", path: "/__proto__" };
      const value = eq === amp ? "" : decodeComponent(text.slice(eq + 1, amp));
      if (value === undefined) return { error: "invalid_utf8", path: `/${pointerSegment(key)}` };
      if (key === withhold) {
        withheld ??= [];
        withheld.push(value);
      } else if (!Object.hasOwn(record, key)) {
        // hasOwn, not `record[key]`: "toString" or "constructor" must not read the prototype.
        record[key] = value;
      } else {
        const current = record[key] as string | string[];
        if (Array.isArray(current)) current.push(value);
        else record[key] = [current, value];
        repeated ??= new Set();
        repeated.add(`/${pointerSegment(key)}`);
      }
    }
    start = amp + 1;
  }
  return { record, repeated, withheld };
}

/** The path of a request target or absolute URL, without query or fragment. */
export function pathOf(url: string): string {
  let start = 0;
  const scheme = url.indexOf("://");
  if (scheme !== -1 && scheme < url.indexOf("?") >>> 0) start = url.indexOf("/", scheme + 3);
  if (start === -1) return "/";
  const query = url.indexOf("?", start);
  const hash = url.indexOf("#", start);
  const end = Math.min(query === -1 ? url.length : query, hash === -1 ? url.length : hash);
  return url.slice(start, end) || "/";
}

/** The query of a URL or request target (after "?", before "#"); "" when there is none. */
export function queryOf(url: string): string {
  const q = url.indexOf("?");
  if (q === -1) return "";
  const hash = url.indexOf("#", q);
  return hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash);
}
