/**
 * The grammars added for template contracts (src/formats.ts), and their "or empty" twins:
 * impact.com sends "" for a macro without a value (facts §4, S16).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { describePattern, valueFormats } from "../../src/formats.js";

type Name = keyof typeof valueFormats;
const cases: [string, { format: Name; given: string; want: boolean }][] = [
  ["id: observed CampaignId", { format: "digitId", given: "25619", want: true }],
  ["id: 16 digits", { format: "digitId", given: "1234567890123456", want: true }],
  ["id: 17 digits", { format: "digitId", given: "12345678901234567", want: false }],
  ["id: signed", { format: "digitId", given: "-1", want: false }],
  ["id: empty", { format: "digitId", given: "", want: false }],
  ["id or empty: empty", { format: "digitIdOrEmpty", given: "", want: true }],
  ["action id: three groups", { format: "actionId", given: "1000.4636.158133", want: true }],
  ["action id: two groups", { format: "actionId", given: "8882.4335", want: true }],
  ["action id: a plain integer", { format: "actionId", given: "8882", want: false }],
  ["action id: trailing dot", { format: "actionId", given: "8882.", want: false }],
  ["action id: double dot", { format: "actionId", given: "8882..1", want: false }],
  ["date-time: observed", { format: "dateTime", given: "2026-05-11T00:07:27+03:00", want: true }],
  ["date-time: negative offset", { format: "dateTime", given: "2022-06-07T04:33:50-05:00", want: true }],
  ["date-time: Z", { format: "dateTime", given: "2026-05-11T00:07:27Z", want: true }],
  ["date-time: fraction", { format: "dateTime", given: "2026-05-11T00:07:27.123+03:00", want: true }],
  ["date-time: no offset", { format: "dateTime", given: "2026-05-11T00:07:27", want: false }],
  ["date-time: + decoded as space", { format: "dateTime", given: "2026-05-11T00:07:27 03:00", want: false }],
  ["date-time: date only", { format: "dateTime", given: "2026-05-11", want: false }],
  ["date-time: month 13", { format: "dateTime", given: "2026-13-11T00:07:27Z", want: false }],
  ["date-time: offset without colon", { format: "dateTime", given: "2026-05-11T00:07:27+0300", want: false }],
  ["date-time: empty", { format: "dateTime", given: "", want: false }],
  ["date-time or empty: observed CreationDate", { format: "dateTimeOrEmpty", given: "", want: true }],
  ["date-time or empty: still checks a value", { format: "dateTimeOrEmpty", given: "yesterday", want: false }],
  ["currency: USD", { format: "currency", given: "USD", want: true }],
  ["currency: lower case", { format: "currency", given: "usd", want: false }],
  ["currency: symbol", { format: "currency", given: "$", want: false }],
  ["uuid: job id", { format: "uuid", given: "d8807a9f-a5ee-4e3f-ad2b-3dfd19d1915f", want: true }],
  ["uuid: no dashes", { format: "uuid", given: "d8807a9fa5ee4e3fad2b3dfd19d1915f", want: false }],
  ["decimal or empty: empty", { format: "decimalOrEmpty", given: "", want: true }],
  ["required text: a trailing space is kept", { format: "text", given: "Base44 ", want: true }],
  ["required text: a line break is text too", { format: "text", given: "a\nb", want: true }],
  ["required text: empty", { format: "text", given: "", want: false }],
  ["decimal or empty: negative delta", { format: "decimalOrEmpty", given: "-5.00", want: true }],
  ["decimal or empty: comma", { format: "decimalOrEmpty", given: "5,00", want: false }],
];

describe("value grammars", () => {
  test.each(cases)("%s", (_, { format, given, want }) => {
    expect(new RegExp(valueFormats[format].pattern, "u").test(given)).toBe(want);
  });

  test("every grammar has an or-empty twin with its own description", () => {
    for (const name of Object.keys(valueFormats).filter((n) => !n.endsWith("OrEmpty") && n !== "text")) {
      const twin = valueFormats[`${name}OrEmpty` as Name];
      expect(new RegExp(twin.pattern, "u").test("")).toBe(true);
      expect(describePattern(twin.pattern)).toMatch(/or empty/);
    }
  });

  test("every grammar is linear on hostile input", () => {
    const hostile = ["9".repeat(50_000), `${"9.".repeat(25_000)}x`, `2026-05-11T00:07:27${"+".repeat(50_000)}`];
    for (const format of Object.values(valueFormats)) {
      const re = new RegExp(format.pattern, "u");
      const started = performance.now();
      for (const input of hostile) re.test(`${input}x`);
      expect(performance.now() - started).toBeLessThan(50);
    }
  });

  test("property: a grammar accepts a string exactly when its or-empty twin accepts it and it is not empty", () => {
    const names = Object.keys(valueFormats).filter((n) => !n.endsWith("OrEmpty") && n !== "text") as Name[];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 40 }), (name, s) => {
        const base = new RegExp(valueFormats[name].pattern, "u").test(s);
        const twin = new RegExp(valueFormats[`${name}OrEmpty` as Name].pattern, "u").test(s);
        return twin === (base || s === "");
      }),
      { seed: 5, numRuns: 2000 },
    );
  });
});
