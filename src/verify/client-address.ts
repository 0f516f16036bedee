import { inList, parseIp } from "./ip-address.js";
import type { ResolvedVerifyOptions } from "./options.js";

/** Spaces and tabs around an `X-Forwarded-For` entry: the optional whitespace of an HTTP list (RFC 9110 §5.6.1). */
function trimOws(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * The address of the client, as bytes. `X-Forwarded-For` is read only when the connecting peer
 * is a trusted proxy, then right to left, skipping trusted proxies: the first untrusted hop is
 * the client (the algorithm of Express's proxy-addr). Anyone can write that header, so nothing in
 * it is believed unless a proxy you listed put it there.
 *
 * Fails closed: undefined (so an allow-list refuses) when the peer is unknown or unparsable, or
 * when an entry reached while walking trusted hops does not parse as an address with `parseIp`'s
 * strict rules (a zone id, a port, an empty entry, anything but an address between the commas):
 * nothing left of an entry that cannot be read is believed.
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
    address = parseIp(trimOws(hops[i] as string));
    if (address === undefined) return undefined;
  }
  return address;
}
