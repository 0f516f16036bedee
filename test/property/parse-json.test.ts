/**
 * parseJson takes a fast path (native JSON.parse plus a member count) and falls back to the
 * strict parser for anything that path cannot vouch for. These properties hold the two to the
 * same answer, value or error, on texts built to hit what the fast path must not miss: repeated
 * keys at any depth, `__proto__` (also escaped), `constructor.prototype`, escapes and quotes in
 * keys and values, whitespace, nesting near the limit, and truncated or corrupted texts.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { findForbiddenKey } from "../../src/input/forbidden-key.js";
import { parseJson, parseStrict } from "../../src/verify/parse-json.js";
import { checkProperty } from "./check-property.js";

const MAX_DEPTH = 4;

/** Few distinct keys, so objects repeat them often; some spelled with escapes. */
const key = fc.constantFrom(
  '"a"',
  '"b"',
  '"\\u0061"',
  '"a\\""',
  '"\\\\"',
  '"__proto__"',
  '"\\u005f_proto__"',
  '"constructor"',
  '"prototype"',
  '"x:y"',
  '"{["',
);
const ws = fc.constantFrom("", " ", "\n\t", "\r\n ");
const scalar = fc.constantFrom(
  '"1"',
  '"5.00"',
  '"a\\"b"',
  '"\\\\"',
  '":"',
  '"\\u00e9"',
  "1",
  "-0",
  "1e3",
  "true",
  "null",
  '{"prototype":"1"}',
);

const { text } = fc.letrec<{ text: string; object: string; array: string }>((tie) => ({
  text: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("object"), tie("array")),
  object: fc
    .array(fc.tuple(ws, key, ws, tie("text")), { maxLength: 4 })
    .map((members) => `{${members.map(([w, k, v, value]) => `${w}${k}${v}:${value}`).join(",")}}`),
  array: fc.array(tie("text"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
}));

/** Valid texts, and the same texts cut short or with one character replaced. */
const damaged = fc.oneof(
  text,
  fc.tuple(text, fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))),
  fc.tuple(text, fc.nat(), fc.constantFrom('"', "\\", ":", "{", "}", "[", "]", ",", " ")).map(([t, n, c]) => {
    const i = n % (t.length + 1);
    return t.slice(0, i) + c + t.slice(i + 1);
  }),
);

describe("parseJson's fast path", () => {
  test("gives the strict parser's answer, value or error, on any text (property)", () => {
    checkProperty(
      "parseJson ≡ parseStrict",
      fc.property(damaged, (given) => {
        expect(parseJson(given, MAX_DEPTH)).toEqual(parseStrict(given, MAX_DEPTH));
      }),
    );
  });

  test("names the constructor.prototype findForbiddenKey would, so no walk of its own is needed (property)", () => {
    checkProperty(
      "parseJson's forbidden ≡ findForbiddenKey",
      fc.property(damaged, (given) => {
        const parsed = parseJson(given, MAX_DEPTH);
        if ("value" in parsed) expect(parsed.forbidden).toBe(findForbiddenKey(parsed.value));
      }),
    );
  });

  test.each([
    ["a constructor.prototype in an array", '{"a":[{"constructor":{"prototype":1}}]}', "/a/0/constructor/prototype"],
    [
      "two of them: the one findForbiddenKey's walk meets first",
      '{"a":{"constructor":{"prototype":1}},"b":{"constructor":{"prototype":2}}}',
      "/b/constructor/prototype",
    ],
    ["a constructor without a prototype", '{"constructor":{"name":"x"}}', undefined],
    ["the same with an escape (the strict parser)", '{"constructor":{"prototype":"\\n"}}', "/constructor/prototype"],
  ])("%s", (_name, given, forbidden) => {
    expect(parseJson(given, MAX_DEPTH)).toMatchObject({ forbidden });
  });

  test.each([
    ["a duplicate deep in an array", '{"x":[{"a":1},{"c":1,"c":{"d":2}}]}', { error: "duplicate_key" }],
    ["a duplicate spelled with an escape", '{"a":1,"\\u0061":2}', { error: "duplicate_key" }],
    ["an escaped __proto__", '{"\\u005f_proto__":{}}', { error: "forbidden_key" }],
    ["a colon and a quote inside strings", '{"k:\\"":"v:\\"\\\\"}', { value: { 'k:"': 'v:"\\' } }],
    ["nesting one past the limit", '{"a":{"b":{"c":{"d":[1]}}}}', { error: "nesting_too_deep" }],
  ])("%s", (_name, given, want) => {
    expect(parseJson(given, MAX_DEPTH)).toMatchObject(want);
  });

  test("an escaped key is not confused with a key seen before (V8's JSON.parse on Node 24.9.0 is)", () => {
    // V8 reuses the object shape of the first text for the second and keeps the key `\`.
    expect(parseJson('{"x":"1","\\\\":"2"}', MAX_DEPTH)).toEqual({ value: { x: "1", "\\": "2" } });
    expect(parseJson('{"x":"1","\\u0061":"2"}', MAX_DEPTH)).toEqual({ value: { x: "1", a: "2" } });
  });
});
