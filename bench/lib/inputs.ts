/**
 * The notifications every part of the benchmark sends. The small body is impact.com's own POST
 * illustration (S3, S4; test/fixtures/documented/post-documented-example.json), the GET query
 * its GET illustration (facts §4.1). Invalid inputs break one value in the place a validator
 * reaches last (the final item), so a peer cannot look fast by failing early.
 */
import { item, PATH, smallBody } from "./cold-inputs.js";

export { PATH, smallBody };

export const largeBody = { ...smallBody, items: Array.from({ length: 100 }, (_, i) => item(i)) };

/** Decimal grammar violated: "5,00" (facts §3.2: money is a dot-decimal string). */
export const smallInvalidBody = { ...smallBody, payout: "5,00" };

/** The 100th item's quantity is not a decimal. */
export const largeInvalidBody = {
  ...largeBody,
  items: largeBody.items.map((it, i) => (i === 99 ? { ...it, qty: "1e3" } : it)),
};

/** A boolean where a string is required: peers that coerce types accept it. */
export const coercibleBody = { ...smallBody, payout: true };

/** A number where a string is required, but one that passes the pattern once coerced (fastify's default). */
export const numericIdBody = { ...smallBody, campaign_id: 10306 };

export const query = "campaign_id=10306&action_id=1234567890&status=APPROVED&payout=5.00";
export const invalidQuery = "campaign_id=10306&action_id=1234567890&status=APPROVED&payout=5%2C00";

export const bodies = {
  small: JSON.stringify(smallBody),
  large: JSON.stringify(largeBody),
  smallInvalid: JSON.stringify(smallInvalidBody),
  largeInvalid: JSON.stringify(largeInvalidBody),
  coercible: JSON.stringify(coercibleBody),
  numericId: JSON.stringify(numericIdBody),
} as const;

/** The valid notification every load sends to `origin`: the documented query for GET, the small body for POST. */
export function validRequest(
  origin: string,
  method: "GET" | "POST",
): { url: string; method: "GET" | "POST"; body?: string } {
  return method === "GET"
    ? { url: `${origin}${PATH}?${query}`, method }
    : { url: `${origin}${PATH}`, method, body: bodies.small };
}
