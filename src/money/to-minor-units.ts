import { parseDecimal } from "./parse-decimal.js";

/**
 * "100.00" → 10000n (cents). `fractionDigits` is the currency's minor unit exponent: 2 for USD
 * and EUR (impact.com: "decimals … with 2 decimal places", S26), 0 for JPY, 3 for KWD. A value
 * with more fraction digits than that is refused rather than rounded ("1.005" USD is not a cent
 * amount); trailing zeros beyond it are fine ("5.000" → 500n).
 */
export function toMinorUnits(value: string, fractionDigits = 2): bigint {
  if (!Number.isInteger(fractionDigits) || fractionDigits < 0 || fractionDigits > 18) {
    throw new RangeError("fractionDigits must be an integer from 0 to 18.");
  }
  const { units, scale } = parseDecimal(value);
  if (scale <= fractionDigits) return units * 10n ** BigInt(fractionDigits - scale);
  const divisor = 10n ** BigInt(scale - fractionDigits);
  if (units % divisor !== 0n) {
    throw new RangeError(
      `Cannot represent the value exactly with ${fractionDigits} fraction digits; pass the currency's fractionDigits or use normalizeDecimal to keep every digit.`,
    );
  }
  return units / divisor;
}

/** 10000n → "100.00": the inverse of `toMinorUnits`. */
export function fromMinorUnits(units: bigint, fractionDigits = 2): string {
  if (!Number.isInteger(fractionDigits) || fractionDigits < 0 || fractionDigits > 18) {
    throw new RangeError("fractionDigits must be an integer from 0 to 18.");
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(fractionDigits + 1, "0");
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits);
  return `${negative ? "-" : ""}${whole}${fractionDigits > 0 ? `.${fraction}` : ""}`;
}
