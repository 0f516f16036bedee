/**
 * Exact decimal parsing for impact.com money values (`{Payout}`, `{Amount}`, `{DeltaPayout}`…),
 * which arrive as decimal strings such as "100.00" or "-5.00" (facts sheet §3.1, §9: "numeric
 * values arrive as strings; receivers must parse before comparing"). Never goes through a binary
 * float: `Number("0.1") + Number("0.2")` is not 0.3, and money must add up to the cent.
 */

/** A decimal as an integer coefficient and a power-of-ten scale: value = units / 10^scale. */
export interface ExactDecimal {
  readonly units: bigint;
  readonly scale: number;
}

// The grammar of src/formats.ts `decimal`, with groups. Linear: no nested quantifiers.
const DECIMAL = /^(-?)([0-9]+)(?:\.([0-9]+))?$/;

/**
 * Significant fraction digits beyond this are refused: no money value needs them, and bigint work
 * stays small. Trailing zeros beyond it are dropped (the value is the same).
 */
const MAX_SCALE = 18;

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

/**
 * "100.00" → { units: 10000n, scale: 2 }. Throws a RangeError that says what a valid value
 * looks like for anything else, including "" (impact.com's value for an absent macro: test
 * for it before parsing) and values with an exponent, "+", "," or spaces.
 */
export function parseDecimal(value: string): ExactDecimal {
  const match = DECIMAL.exec(value);
  if (match === null) {
    throw new RangeError(
      value === ""
        ? 'Not a decimal: the value is empty (impact.com sends "" when it has no value); check for "" before parsing.'
        : 'Not a decimal: expected digits with an optional leading "-" and an optional "." followed by digits, such as "100.00".',
    );
  }
  const [, sign = "", whole = "0", digits = ""] = match;
  // Trailing zeros do not change the value ("1.0000000000000000000" is 1), so only significant
  // digits count against the limit. A loop, not /0+$/: that regex is quadratic on "000…01".
  let end = digits.length;
  while (end > MAX_SCALE && digits.charCodeAt(end - 1) === 0x30) end--;
  if (end > MAX_SCALE) {
    throw new RangeError(`Not a money value: more than ${MAX_SCALE} significant fraction digits.`);
  }
  const fraction = digits.slice(0, end);
  const units = BigInt(whole + fraction);
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}
