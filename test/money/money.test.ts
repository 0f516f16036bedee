import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  addDecimals,
  compareDecimals,
  fromMinorUnits,
  isDecimal,
  normalizeDecimal,
  parseDecimal,
  toMinorUnits,
} from "../../src/money/index.js";

describe("toMinorUnits: exact integer minor units, never a float", () => {
  const cases: [string, { given: string; digits?: number; want: bigint | RegExp }][] = [
    ["observed Payout", { given: "100.00", want: 10000n }],
    ["observed Amount", { given: "0.00", want: 0n }],
    ["negative delta", { given: "-5.00", want: -500n }],
    ["one fraction digit", { given: "7.5", want: 750n }],
    ["no fraction", { given: "42", want: 4200n }],
    ["trailing zeros beyond the scale", { given: "5.000", want: 500n }],
    ["trailing zeros beyond 18 fraction digits", { given: `1.${"0".repeat(19)}`, want: 100n }],
    ["negative, many trailing zeros", { given: `-2.5${"0".repeat(40)}`, want: -250n }],
    [
      "a 19th significant fraction digit is still refused",
      { given: `1.${"0".repeat(18)}1`, want: /more than 18 significant fraction digits/ },
    ],
    ["the classic float trap", { given: "0.29", want: 29n }],
    ["beyond Number.MAX_SAFE_INTEGER", { given: "92233720368547758.07", want: 9223372036854775807n }],
    ["JPY (0 digits)", { given: "1500", digits: 0, want: 1500n }],
    ["KWD (3 digits)", { given: "1.234", digits: 3, want: 1234n }],
    ["a sub-cent value is refused, not rounded", { given: "1.005", want: /Cannot represent/ }],
    ["empty (impact.com's absent value)", { given: "", want: /empty.*check for ""/ }],
    ["comma decimal mark", { given: "5,00", want: /Not a decimal/ }],
    ["exponent", { given: "1e3", want: /Not a decimal/ }],
  ];
  test.each(cases)("%s", (_, { given, digits, want }) => {
    if (typeof want === "bigint") expect(toMinorUnits(given, digits)).toBe(want);
    else expect(() => toMinorUnits(given, digits)).toThrowError(want);
  });

  test("fromMinorUnits is its inverse", () => {
    expect(fromMinorUnits(10000n)).toBe("100.00");
    expect(fromMinorUnits(-5n)).toBe("-0.05");
    expect(fromMinorUnits(1500n, 0)).toBe("1500");
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }), (units, d) => {
        return toMinorUnits(fromMinorUnits(units, d), d) === units;
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});

describe("decimal strings", () => {
  test("parseDecimal keeps every digit", () => {
    expect(parseDecimal("100.00")).toEqual({ units: 10000n, scale: 2 });
    expect(parseDecimal("-0.333")).toEqual({ units: -333n, scale: 3 });
  });

  const normal: [string, string][] = [
    ["100.00", "100"],
    ["007.50", "7.5"],
    ["-0.00", "0"],
    ["0.10", "0.1"],
    ["-5.00", "-5"],
    ["719.10", "719.1"],
  ];
  test.each(normal)("normalizeDecimal(%j) = %j", (given, want) => {
    expect(normalizeDecimal(given)).toBe(want);
  });

  test("compare and add are exact", () => {
    expect(compareDecimals("0.10", "0.1")).toBe(0);
    expect(compareDecimals("100.00", "99.999")).toBe(1);
    expect(compareDecimals("-5", "0")).toBe(-1);
    expect(addDecimals("0.1", "0.2")).toBe("0.3");
    expect(addDecimals("100.00", "-5.00")).toBe("95");
    expect(["10", "9.5", "-1", "100.00"].sort(compareDecimals)).toEqual(["-1", "9.5", "10", "100.00"]);
  });

  test("isDecimal follows the published grammar", () => {
    expect(isDecimal("5.00")).toBe(true);
    expect(isDecimal("")).toBe(false);
    expect(isDecimal("5.")).toBe(false);
  });

  test("property: the sum of cents equals the cents of the sum", () => {
    const amount = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((u) => fromMinorUnits(u));
    fc.assert(
      fc.property(amount, amount, (a, b) => toMinorUnits(addDecimals(a, b)) === toMinorUnits(a) + toMinorUnits(b)),
      { seed: 5, numRuns: 500 },
    );
  });
});
