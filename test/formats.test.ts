import { describe, expect, test } from "vitest";
import { contracts } from "../generated/index.js";
import { describePattern, valueFormats } from "../src/formats.js";

// The published decimal grammar (README "What is accepted"), checked through the generated
// validators of both deliveries, so the grammar that ships is the one tested.
const cases: [string, { given: string; want: boolean }][] = [
  ["two fraction digits", { given: "5.00", want: true }],
  ["zero", { given: "0", want: true }],
  ["negative (delta macros)", { given: "-1.50", want: true }],
  ["observed payout", { given: "100.00", want: true }],
  ["item amount", { given: "719.10", want: true }],
  ["many fraction digits (qty)", { given: "0.333", want: true }],
  ["empty string", { given: "", want: false }],
  ["trailing dot", { given: "5.", want: false }],
  ["leading dot", { given: ".5", want: false }],
  ["exponent", { given: "1e3", want: false }],
  ["plus sign", { given: "+5", want: false }],
  ["comma decimal mark", { given: "5,00", want: false }],
  ["leading space", { given: " 5", want: false }],
  ["trailing space", { given: "5 ", want: false }],
  ["trailing newline", { given: "5\n", want: false }],
  ["NaN", { given: "NaN", want: false }],
  ["Infinity", { given: "Infinity", want: false }],
  ["hex", { given: "0x10", want: false }],
  ["thousands separator", { given: "1,000.00", want: false }],
  ["minus alone", { given: "-", want: false }],
  ["double minus", { given: "--1", want: false }],
  ["Arabic-Indic digits", { given: "٥", want: false }],
  ["fullwidth digits", { given: "５", want: false }],
];

describe("decimal grammar", () => {
  const post = contracts.documented.operations.POST.validate;
  const get = contracts.documented.operations.GET.validate;

  test.each(cases)("%s", (_, { given, want }) => {
    expect(post({ payout: given })).toBe(want);
    expect(post({ items: [{ qty: given, amt: given }] })).toBe(want);
    expect(get({ payout: given })).toBe(want);
    expect(new RegExp(valueFormats.decimal.pattern, "u").test(given)).toBe(want);
  });

  test("is linear on hostile input (50,000 digits then x)", () => {
    const started = performance.now();
    expect(post({ payout: `${"9".repeat(50_000)}x` })).toBe(false);
    expect(performance.now() - started).toBeLessThan(100);
  });

  test("every published example matches its own grammar", () => {
    for (const format of Object.values(valueFormats)) {
      const re = new RegExp(format.pattern, "u");
      for (const example of format.examples) expect(re.test(example), example).toBe(true);
      expect(describePattern(format.pattern)).toBe(format.description);
    }
  });
});
