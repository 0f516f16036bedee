import { clientAddress } from "./client-address.js";
import { inList } from "./ip-address.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { fail, type VerifyFailure } from "./verify-result.js";

/**
 * Step 2a, authenticity by address (facts §6: impact.com publishes egress ranges). Runs before
 * the secret check, so a stranger only ever sees 403 and learns nothing about the secret. Fails
 * closed: with an allow-list set, a request whose client address is unknown or cannot be read
 * (no peer, a zone id, an unparsable `X-Forwarded-For` entry from a trusted proxy) is refused.
 */
export function checkClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  options: ResolvedVerifyOptions,
): VerifyFailure | undefined {
  if (options.allowList === undefined) return undefined;
  const address = clientAddress(peer, forwardedFor, options);
  if (address !== undefined && inList(options.allowList, address)) return undefined;
  return fail("forbidden", "This endpoint accepts notifications from configured addresses only.");
}
