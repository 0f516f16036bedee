import { type ExactDecimal, parseDecimal } from "./parse-decimal.js";

/** Removes trailing fraction zeros: 1000n·10^-2 → 10n·10^0. */
function reduce({ units, scale }: ExactDecimal): ExactDecimal {
  let u = units;
  let s = scale;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  return { units: u, scale: s };
}

function render({ units, scale }: ExactDecimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}

/**
 * The canonical form of a decimal string: no leading zeros, no trailing fraction zeros, no
 * "-0". "007.50" → "7.5", "-0.00" → "0", "100.00" → "100". Equal values give equal strings,
 * so the result is a safe key for de-duplication or a database column of type numeric.
 */
export function normalizeDecimal(value: string): string {
  return render(reduce(parseDecimal(value)));
}

/** Both values at the larger scale, so their units compare and add directly. */
function aligned(a: string, b: string): [bigint, bigint, number] {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return [x.units * 10n ** BigInt(scale - x.scale), y.units * 10n ** BigInt(scale - y.scale), scale];
}

/** -1, 0 or 1, exactly: compareDecimals("0.10", "0.1") === 0. Usable as an Array#sort comparator. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = aligned(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The exact sum, normalised: addDecimals("0.10", "0.20") === "0.3"; with a delta, "100.00" + "-5.00" → "95". */
export function addDecimals(a: string, b: string): string {
  const [x, y, scale] = aligned(a, b);
  return render(reduce({ units: x + y, scale }));
}
