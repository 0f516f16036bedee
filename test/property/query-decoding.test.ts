/**
 * Properties of GET query decoding: src/input/query-record.ts (used by validateEventNotification)
 * and src/verify/decode-parameters.ts (used by verifyRequest on the raw request target).
 *
 * What "keeps every byte" means, measured here:
 * - Any well-formed UTF-16 text round-trips exactly through URLSearchParams and both decoders.
 * - Lone surrogates (U+D800–U+DFFF alone) cannot be sent: URLSearchParams converts its arguments
 *   to USVString (WHATWG URL §6, WebIDL USVString), so each becomes U+FFFD before encoding. This is
 *   the platform's rule, asserted below so a change in it is noticed.
 * - Percent-encoded UTF-8 bytes round-trip exactly. Percent-encoded bytes that are not UTF-8:
 *   URLSearchParams silently yields U+FFFD (lossy); decodeParameters refuses them (invalid_utf8),
 *   so a value is never silently altered on the HTTP path.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { paramsToRecord, queryString, recordToQuery } from "../../src/input/query-record.js";
import { toQueryString } from "../../src/sender/to-query-string.js";
import { decodeParameters } from "../../src/verify/decode-parameters.js";
import { checkProperty } from "./check-property.js";

/** Any UTF-16 code unit sequence, lone surrogates included, plus any code point. */
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.constantFrom("&", "=", "+", "%", "#", "?", "/", " ", "%2", "%zz", "%C3", "__proto__"),
);
const anyText = fc.string({ unit: anyUnit, maxLength: 12 });
const wellFormedText = fc.string({ unit: "binary", maxLength: 12 });
/** Well-formed text rich in the characters that matter to form encoding. */
const wellFormedQuery = fc.string({
  unit: fc.oneof(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.constantFrom("&", "=", "+", "%", "%2", "%zz", "%C3", "%C3%A9", "%FF", "%ED%A0%80", "__proto__", "%5F_proto__"),
  ),
  maxLength: 30,
});
const key = fc.oneof(anyText, fc.constantFrom("payout", "status", "", "__proto__", "constructor", "toString"));

/** ES2024 String.prototype.toWellFormed, written out (tsconfig's lib is ES2023). */
function toWellFormed(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s.slice(i, i + 2);
        i++;
        continue;
      }
    }
    out += c >= 0xd800 && c <= 0xdfff ? "\ufffd" : s.charAt(i);
  }
  return out;
}

/** What a decoder should return for ordered pairs: first value, or every value when repeated. */
function grouped(pairs: readonly (readonly [string, string])[]): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [k, v] of pairs) {
    const current = out.get(k);
    out.set(k, current === undefined ? v : Array.isArray(current) ? [...current, v] : [current, v]);
  }
  return out;
}

const asMap = (record: Record<string, unknown>) => new Map(Object.entries(record));

/** Every byte as %XX, hex case chosen by the generator: what a strict encoder could send. */
function percentEncodeBytes(bytes: Uint8Array, upper: boolean): string {
  return Array.from(bytes, (b) => `%${b.toString(16).padStart(2, "0")}`)
    .join("")
    .replace(/[a-f]/g, (c) => (upper ? c.toUpperCase() : c));
}

// ignoreBOM: a leading U+FEFF is a character of the value (WHATWG's "UTF-8 decode without BOM"),
// not a byte order mark to drop, as TextDecoder does by default.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const isUtf8 = (bytes: Uint8Array) => {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * Reference: WHATWG URL §5.1 "application/x-www-form-urlencoded parsing", written from the spec:
 * split on "&", drop empty sequences, split at the first "=", "+" → space, UTF-8 encode,
 * percent-decode bytes, UTF-8 decode. `lossy` says the bytes were not UTF-8 (the spec then uses
 * U+FFFD; decodeParameters refuses instead).
 */
function whatwgFormParse(text: string): { pair: readonly [string, string]; lossy: boolean }[] {
  const encoder = new TextEncoder();
  const decodePart = (part: string) => {
    const bytes = encoder.encode(part.replaceAll("+", " "));
    const out: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
      if (bytes[i] === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(Number.parseInt(hex, 16));
        i += 2;
      } else {
        out.push(bytes[i] as number);
      }
    }
    const decoded = Uint8Array.from(out);
    return { value: new TextDecoder("utf-8", { ignoreBOM: true }).decode(decoded), lossy: !isUtf8(decoded) };
  };
  return text
    .split("&")
    .filter((sequence) => sequence !== "")
    .map((sequence) => {
      const eq = sequence.indexOf("=");
      const name = decodePart(eq === -1 ? sequence : sequence.slice(0, eq));
      const value = decodePart(eq === -1 ? "" : sequence.slice(eq + 1));
      return { pair: [name.value, value.value] as const, lossy: name.lossy || value.lossy };
    });
}

describe("query decoding properties", () => {
  test("paramsToRecord and queryString never throw on any text; only __proto__ is refused", () => {
    checkProperty(
      "paramsToRecord total",
      fc.property(anyText, fc.string({ unit: anyUnit, maxLength: 60 }), (prefix, text) => {
        for (const input of [text, `?${text}`, `/${prefix}?${text}`, `https://h.example/${prefix}?${text}#${prefix}`]) {
          const params = new URLSearchParams(queryString(input));
          const result = paramsToRecord(params);
          const keys = [...params.keys()];
          if ("forbidden" in result) expect(keys).toContain("__proto__");
          else expect(keys).not.toContain("__proto__");
        }
      }),
    );
  });

  test("any pairs round-trip through URLSearchParams and paramsToRecord (lone surrogates → U+FFFD)", () => {
    checkProperty(
      "paramsToRecord round trip",
      fc.property(fc.array(fc.tuple(key, anyText), { maxLength: 10 }), (pairs) => {
        const params = new URLSearchParams();
        for (const [k, v] of pairs) params.append(k, v);
        const decoded = new URLSearchParams(params.toString());
        const result = paramsToRecord(decoded);
        const expected = pairs.map(([k, v]) => [toWellFormed(k), toWellFormed(v)] as const);
        if (expected.some(([k]) => k === "__proto__")) {
          expect(result).toEqual({ forbidden: "/__proto__" });
          return;
        }
        if ("forbidden" in result) throw new Error("refused a query without __proto__");
        const want = grouped(expected);
        expect(asMap(result.record)).toEqual(want);
        const repeatedKeys = [...want].filter(([, v]) => Array.isArray(v)).map(([k]) => k);
        expect(result.repeated?.size ?? 0).toBe(repeatedKeys.length);
      }),
    );
  });

  test("recordToQuery never throws and marks exactly the array-valued keys as repeated", () => {
    checkProperty(
      "recordToQuery",
      fc.property(
        fc.dictionary(key, fc.oneof(anyText, fc.array(anyText, { maxLength: 3 }), fc.anything())),
        (record) => {
          const result = recordToQuery(record);
          expect(result.record).toBe(record);
          const arrays = Object.keys(record).filter((k) => Array.isArray(record[k]));
          expect(result.repeated?.size ?? 0).toBe(arrays.length);
        },
      ),
    );
  });

  test("decodeParameters never throws on any text and any limit", () => {
    checkProperty(
      "decodeParameters total",
      fc.property(fc.string({ unit: anyUnit, maxLength: 80 }), fc.integer({ min: 0, max: 20 }), (text, max) => {
        const result = decodeParameters(text, max);
        if ("error" in result) expect(["too_many_parameters", "forbidden_key", "invalid_utf8"]).toContain(result.error);
      }),
    );
  });

  test("decodeParameters keeps every code point of well-formed pairs, as URLSearchParams and the sender encode them", () => {
    checkProperty(
      "decodeParameters round trip",
      fc.property(
        fc.array(fc.tuple(fc.oneof(wellFormedText, fc.constantFrom("payout", "")), wellFormedText), {
          maxLength: 10,
        }),
        (pairs) => {
          const params = new URLSearchParams();
          for (const [k, v] of pairs) params.append(k, v);
          const hasProto = pairs.some(([k]) => k === "__proto__");
          // The WHATWG serializer drops nothing, but a pair with an empty key and value becomes "=",
          // which both sides keep as the key "".
          for (const text of [params.toString(), toQueryString(params).replace(/\+/g, "%20")]) {
            const result = decodeParameters(text, 1000);
            if (hasProto) {
              expect(result).toEqual({ error: "forbidden_key", path: "/__proto__" });
              continue;
            }
            if ("error" in result) throw new Error(`refused a well-formed query: ${result.error}`);
            expect(asMap(result.record)).toEqual(grouped(pairs));
          }
        },
      ),
    );
  });

  test("percent-encoded bytes: UTF-8 kept byte for byte; anything else refused by decodeParameters", () => {
    const encoder = new TextEncoder();
    checkProperty(
      "percent-encoded bytes",
      fc.property(
        fc.oneof(
          wellFormedText.map((s) => encoder.encode(s)),
          fc.uint8Array({ maxLength: 12 }),
          // Overlong forms, encoded surrogates, truncated sequences: the classic invalid UTF-8.
          fc.constantFrom(
            Uint8Array.of(0xc0, 0xaf),
            Uint8Array.of(0xed, 0xa0, 0x80),
            Uint8Array.of(0xe2, 0x82),
            Uint8Array.of(0xf4, 0x90, 0x80, 0x80),
            Uint8Array.of(0xff),
          ),
        ),
        fc.boolean(),
        (bytes, upper) => {
          const text = `v=${percentEncodeBytes(bytes, upper)}`;
          const result = decodeParameters(text, 10);
          const platform = new URLSearchParams(text).get("v");
          if (isUtf8(bytes)) {
            const want = strictUtf8.decode(bytes);
            expect(result).toEqual({ record: { v: want }, repeated: undefined });
            expect(encoder.encode(platform ?? "")).toEqual(bytes);
          } else {
            expect(result).toEqual({ error: "invalid_utf8", path: "/v" });
            // The platform is lossy here, which is why the HTTP path does not use it.
            expect(platform).toContain("\ufffd");
          }
        },
      ),
    );
  });

  test("decodeParameters agrees with the WHATWG form-urlencoded parser on every query", () => {
    checkProperty(
      "decodeParameters matches WHATWG",
      fc.property(wellFormedQuery, (text) => {
        const result = decodeParameters(text, 1000);
        const reference = whatwgFormParse(text);
        if ("error" in result) {
          // Refused only for a reason the reference can see: bad UTF-8 or a __proto__ key.
          if (result.error === "invalid_utf8") expect(reference.some((p) => p.lossy)).toBe(true);
          else expect(reference.some((p) => p.pair[0] === "__proto__")).toBe(true);
          return;
        }
        expect(reference.some((p) => p.lossy)).toBe(false);
        expect(asMap(result.record)).toEqual(grouped(reference.map((p) => p.pair)));
      }),
    );
  });

  test("Node's URLSearchParams deviates from WHATWG after a literal '%' (documented, why the HTTP path does not use it)", () => {
    // "%é%41" is "%" C3 A9 "%41" in UTF-8; percent-decoding gives "%éA" (WHATWG URL §5.1).
    // Node 20 and 24 give "%\ufffdA": a raw non-ASCII character after a lone "%" is lost.
    expect(whatwgFormParse("%\u00e9%41=1")[0]?.pair[0]).toBe("%\u00e9A");
    expect(decodeParameters("%\u00e9%41=1", 10)).toEqual({ record: { "%\u00e9A": "1" }, repeated: undefined });
    expect([...new URLSearchParams("%\u00e9%41=1").keys()]).toEqual(["%\ufffdA"]);
  });

  test("decodeParameters refuses at limit + 1 parameters, never truncates", () => {
    checkProperty(
      "parameter limit",
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), (count, max) => {
        const text = Array.from({ length: count }, (_, i) => `k${i}=${i}`).join("&");
        const result = decodeParameters(text, max);
        if (count > max) expect(result).toEqual({ error: "too_many_parameters" });
        else expect(Object.keys("record" in result ? result.record : {}).length).toBe(count);
      }),
    );
  });
});
