const encoder = new TextEncoder();

/**
 * The bytes a client sent in a header value. Node's `req.headers` and Fetch `Headers` give header
 * values as byte strings: one character per byte received (U+0000–U+00FF, "isomorphic decode"),
 * so "ä" sent as UTF-8 arrives as the two characters "\u00c3\u00a4". Those bytes are what the
 * secret's UTF-8 encoding is compared with; re-encoding the characters as UTF-8 would compare
 * C3 83 C2 A4 and never match. A value with a character above U+00FF is not a byte string (an
 * adapter or a caller decoded the bytes as text already), so its UTF-8 encoding is its bytes.
 */
export function headerValueBytes(value: string): Uint8Array {
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return encoder.encode(value);
    out[i] = c;
  }
  return out;
}

/**
 * Compares a candidate with every accepted secret in time that depends only on their lengths,
 * never on where they differ, and without returning early on the first match. Pure JS so the core
 * runs on Fetch runtimes (node's timingSafeEqual is not available there). Both sides are bytes:
 * secrets as UTF-8, candidates as received (`headerValueBytes`, or a decoded query value as UTF-8).
 */
export function matchesAnySecret(candidate: Uint8Array, secrets: readonly Uint8Array[]): boolean {
  let matched = 0;
  for (const secret of secrets) {
    let diff = candidate.length ^ secret.length;
    for (let i = 0; i < secret.length; i++) {
      diff |= (secret[i] as number) ^ (candidate[i % (candidate.length || 1)] ?? 0);
    }
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}
