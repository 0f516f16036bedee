/**
 * Value grammars for impact.com macro values. impact.com substitutes every macro as text, so
 * every value is a string; these grammars say which strings are well-formed. The generator
 * expands `x-impact-format: <name>` in a contract into the `pattern` below, and the runtime
 * uses the descriptions to explain a mismatch.
 *
 * Sources: ../shared/impact-facts.md §3.1 (observed `100.00`, `0.00`), §10 (suggested rules),
 * impact.com API conventions "decimals 8 digits with 2 decimal places" (S26).
 */
export interface ValueFormat {
  /** ECMAScript pattern, anchored, linear-time (no nested quantifiers). */
  readonly pattern: string;
  /** One sentence a partner can act on, used in error messages. */
  readonly description: string;
  readonly examples: readonly string[];
}

export const valueFormats = {
  /**
   * Decimal string: optional "-", one or more ASCII digits, optionally "." and one or more
   * digits. No exponent, no "+", no thousands separator, no comma decimal mark, no spaces,
   * no leading or trailing dot. Signed because delta macros (DeltaPayout, DeltaAmount) go
   * negative on reductions (facts §3.1, inferred). Any number of fraction digits because qty
   * is documented only as "a decimal string" (S3).
   */
  decimal: {
    pattern: "^-?[0-9]+(\\.[0-9]+)?$",
    description:
      'must be a decimal string such as "5.00", "0" or "-1.50": digits, an optional leading "-" and an optional "." followed by digits (no exponent, "+", "," or spaces)',
    examples: ["5.00", "0", "-1.50", "719.10"],
  },
} as const satisfies Record<string, ValueFormat>;

export type ValueFormatName = keyof typeof valueFormats;

const byPattern = new Map<string, string>(
  Object.values(valueFormats).map((format) => [format.pattern, format.description]),
);

/** The human description of a generated pattern, or undefined for a contract's own pattern. */
export function describePattern(pattern: string): string | undefined {
  return byPattern.get(pattern);
}
