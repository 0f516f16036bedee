/**
 * A strict RFC 8259 JSON parser that reports what JSON.parse cannot: duplicate keys (RFC 8259 §4
 * leaves their meaning undefined, and two parsers may pick different values), nesting depth, and
 * truncation (input ends mid-document) apart from other syntax errors. `__proto__` is refused as a
 * key, so the objects it builds are never polluted; the other prototype-polluting key
 * (`constructor` holding a `prototype`, see src/input/forbidden-key.ts) is found in the same pass,
 * so a parsed body needs no walk of its own before validation.
 *
 * Recursive, two frames per level (`value`, then `object` or `array`), and so is `parsedMembers`:
 * the depth is refused at `maxDepth + 1` before anything deeper is entered, and the options cap
 * `maxDepth` at `MAX_DEPTH_LIMIT` (options.ts), which is what keeps any body, however deep, from
 * overflowing the stack. `countMembers` and `JSON.parse` (V8's is iterative) loop instead.
 */
import { findForbiddenKey } from "../input/forbidden-key.js";
import { pointerSegment } from "../pointer.js";

export type JsonError =
  | { readonly error: "malformed_json"; readonly offset: number }
  | { readonly error: "truncated_json" }
  | { readonly error: "nesting_too_deep" }
  | { readonly error: "duplicate_key"; readonly path: string }
  | { readonly error: "forbidden_key"; readonly path: string };

class Failure {
  constructor(readonly result: JsonError) {}
}

/** A parsed text: its value, and the JSON pointer of its first `constructor.prototype` (as `findForbiddenKey` names it), if any. */
export interface ParsedJson {
  readonly value: unknown;
  readonly forbidden: string | undefined;
}

class Parser {
  i = 0;
  /** Set once a member `constructor` holds an object with a `prototype` of its own. */
  forbidden = false;
  /** Keys and indexes from the root to the value being parsed: a pointer is built only on failure. */
  readonly trail: (string | number)[] = [];
  constructor(
    readonly s: string,
    readonly maxDepth: number,
  ) {}

  fail(): never {
    throw new Failure(
      this.i >= this.s.length ? { error: "truncated_json" } : { error: "malformed_json", offset: this.i },
    );
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  at(key: string): string {
    let out = "";
    for (const k of this.trail) out += `/${typeof k === "number" ? k : pointerSegment(k)}`;
    return `${out}/${pointerSegment(key)}`;
  }

  value(depth: number): unknown {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 123) return this.object(depth + 1);
    if (c === 91) return this.array(depth + 1);
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (this.literal("true")) return true;
    if (this.literal("false")) return false;
    if (this.literal("null")) return null;
    return this.fail();
  }

  literal(word: string): boolean {
    const s = this.s;
    for (let k = 0; k < word.length; k++) {
      if (this.i + k >= s.length) {
        if (k > 0 || this.i >= s.length) {
          this.i += k;
          this.fail();
        }
        return false;
      }
      if (s.charCodeAt(this.i + k) !== word.charCodeAt(k)) {
        if (k === 0) return false;
        this.i += k;
        this.fail();
      }
    }
    this.i += word.length;
    return true;
  }

  object(depth: number): Record<string, unknown> {
    if (depth > this.maxDepth) throw new Failure({ error: "nesting_too_deep" });
    this.i++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 34) this.fail();
      const key = this.string();
      if (key === "__proto__") throw new Failure({ error: "forbidden_key", path: this.at(key) });
      if (Object.hasOwn(out, key)) throw new Failure({ error: "duplicate_key", path: this.at(key) });
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail();
      this.i++;
      this.trail.push(key);
      const value = this.value(depth);
      this.trail.pop();
      out[key] = value;
      if (key === "constructor" && typeof value === "object" && value !== null && Object.hasOwn(value, "prototype")) {
        this.forbidden = true;
      }
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 125) return out;
      if (c !== 44) {
        this.i--;
        this.fail();
      }
    }
  }

  array(depth: number): unknown[] {
    if (depth > this.maxDepth) throw new Failure({ error: "nesting_too_deep" });
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      return out;
    }
    for (;;) {
      this.trail.push(out.length);
      out.push(this.value(depth));
      this.trail.pop();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 93) return out;
      if (c !== 44) {
        this.i--;
        this.fail();
      }
    }
  }

  string(): string {
    const s = this.s;
    const start = ++this.i;
    // Fast path: no escapes, no control characters (RFC 8259 §7 forbids raw U+0000–U+001F).
    for (let i = start; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92 || c < 32) break;
    }
    let out = "";
    let i = start;
    for (;;) {
      if (i >= s.length) {
        this.i = i;
        this.fail();
      }
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return out;
      }
      if (c < 32) {
        this.i = i;
        this.fail();
      }
      if (c !== 92) {
        out += s[i];
        i++;
        continue;
      }
      const e = s.charCodeAt(i + 1);
      i += 2;
      switch (e) {
        case 34:
          out += '"';
          break;
        case 92:
          out += "\\";
          break;
        case 47:
          out += "/";
          break;
        case 98:
          out += "\b";
          break;
        case 102:
          out += "\f";
          break;
        case 110:
          out += "\n";
          break;
        case 114:
          out += "\r";
          break;
        case 116:
          out += "\t";
          break;
        case 117: {
          const hex = s.slice(i, i + 4);
          if (hex.length < 4 && /^[0-9a-fA-F]*$/.test(hex)) {
            this.i = s.length;
            this.fail();
          }
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            this.i = i;
            this.fail();
          }
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          this.i = Math.min(i - 1, s.length);
          this.fail();
      }
    }
  }

  number(): number {
    const s = this.s;
    const start = this.i;
    let i = start;
    const digits = () => {
      const from = i;
      while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === from) {
        this.i = i;
        this.fail();
      }
    };
    if (s.charCodeAt(i) === 45) i++;
    if (s.charCodeAt(i) === 48) i++;
    else digits();
    if (s.charCodeAt(i) === 46) {
      i++;
      digits();
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      digits();
    }
    this.i = i;
    return Number(s.slice(start, i));
  }
}

/**
 * The number of object members in a JSON text without escapes (`:` outside strings: in valid
 * JSON each separates a key from its value), or -1 when it nests deeper than `maxDepth` or a
 * string is unterminated. With no backslash in the text every `"` opens or closes a string, so
 * strings are skipped with `indexOf` and this touches little more than the structure.
 */
function countMembers(text: string, maxDepth: number): number {
  let members = 0;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = text.indexOf('"', i + 1);
      if (i === -1) return -1;
    } else if (c === 58) members++;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return -1;
    } else if (c === 125 || c === 93) depth--;
  }
  return members;
}

/**
 * Members of every object in a parsed value (depth already bounded by `countMembers`), or -1 at
 * a prototype-polluting key: `__proto__`, or `constructor` holding an object with a `prototype`.
 * The one walk over a parsed body before validation.
 */
function parsedMembers(value: object): number {
  let n = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) continue;
      const m = parsedMembers(item);
      if (m < 0) return -1;
      n += m;
    }
    return n;
  }
  for (const key in value) {
    if (key === "__proto__") return -1;
    n++;
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child !== "object" || child === null) continue;
    if (key === "constructor" && Object.hasOwn(child, "prototype")) return -1;
    const m = parsedMembers(child);
    if (m < 0) return -1;
    n += m;
  }
  return n;
}

/** True when the text is not JSON at all, as opposed to JSON the receiver refuses (a repeated key, depth, `__proto__`). */
export function isSyntaxError(error: JsonError): boolean {
  return error.error === "malformed_json" || error.error === "truncated_json";
}

/**
 * Parses `text` (already UTF-8 decoded, BOM removed) or returns the first problem found.
 *
 * Fast path: the native `JSON.parse`, accepted only when the text is within `maxDepth` and the
 * parsed value has as many object members as the text has (a repeated key is dropped by
 * `JSON.parse`, so a duplicate anywhere makes the counts differ) and no prototype-polluting key.
 * Anything else (invalid, too deep, duplicated, forbidden) goes to the strict parser above, which
 * names the problem and where it is. Both produce the same value for the texts the fast path
 * accepts. A `__proto__` key is an error; a `constructor.prototype` is not (the text is JSON and
 * the root may not even be an object, which is reported first), so its pointer comes with the
 * value, in `forbidden`.
 *
 * Texts with a backslash (an escape anywhere) always take the strict parser: V8's JSON.parse
 * (Node 24 and 26; nodejs/node#63785, crbug 521080746, open) can give an escaped key the spelling
 * of a key it saw before through the same object shape (`{"x":1,"\\":2}` then
 * `{"x":1,"\u0061":2}` yields key `\`, not `a`). The property test in
 * test/property/parse-json.test.ts caught it on Node 24.9.0. impact.com's values rarely need escapes.
 */
export function parseJson(text: string, maxDepth: number): ParsedJson | JsonError {
  const members = text.includes("\\") ? -1 : countMembers(text, maxDepth);
  if (members >= 0) {
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (parsed && (typeof value === "object" && value !== null ? parsedMembers(value) : 0) === members) {
      return { value, forbidden: undefined };
    }
  }
  return parseStrict(text, maxDepth);
}

/** The strict parser alone (the reference the fast path is tested against). */
export function parseStrict(text: string, maxDepth: number): ParsedJson | JsonError {
  const parser = new Parser(text, maxDepth);
  try {
    const value = parser.value(0);
    parser.ws();
    if (parser.i !== text.length) return { error: "malformed_json", offset: parser.i };
    // Rare (a hostile body): the careful walk names the one `findForbiddenKey` would.
    return { value, forbidden: parser.forbidden ? findForbiddenKey(value) : undefined };
  } catch (e) {
    if (e instanceof Failure) return e.result;
    throw e;
  }
}
