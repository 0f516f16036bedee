import { inList, parseIp } from "./ip-address.js";
import type { ResolvedVerifyOptions } from "./options.js";

/**
 * The address of the client, as bytes. `X-Forwarded-For` is read only when the connecting peer
 * is a trusted proxy, then right to left, skipping trusted proxies: the first untrusted hop is
 * the client (the algorithm of Express's proxy-addr). Anyone can write that header, so nothing in
 * it is believed unless a proxy you listed put it there. Undefined when unknown or unparsable.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  options: ResolvedVerifyOptions,
): Uint8Array | undefined {
  if (peer === undefined) return undefined;
  let address = parseIp(peer);
  if (address === undefined || forwardedFor === undefined || options.trustedProxies.length === 0) return address;
  const hops = forwardedFor.split(",");
  for (let i = hops.length - 1; i >= 0 && inList(options.trustedProxies, address); i--) {
    address = parseIp(hops[i] as string);
    if (address === undefined) return undefined;
  }
  return address;
}
