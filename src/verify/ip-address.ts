/**
 * IPv4/IPv6 parsing and CIDR matching without node APIs (the core also runs on Fetch runtimes).
 * Every address becomes 16 bytes; IPv4 is stored IPv4-mapped (RFC 4291 §2.5.5.2), so a v4 range
 * also matches a dual-stack server's "::ffff:203.0.113.5" peer.
 *
 * Strict on purpose: these decide who may deliver, and a lenient reading is an allow-list hole
 * (a zone id hid "10.1.2.3%evil" behind 10.1.2.3). An address is exactly one of: dotted IPv4
 * without leading zeros, or RFC 4291 §2.2 IPv6 text (optionally in brackets), never with
 * whitespace or a zone id (`%eth0`). Whoever reads addresses out of a header list trims the
 * list's whitespace (client-address.ts); nothing here does.
 */
export interface Cidr {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

function parseV4(s: string, out: Uint8Array, at: number): boolean {
  const parts = s.split(".");
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return false;
    const n = Number(p);
    if (n > 255) return false;
    out[at + i] = n;
  }
  return true;
}

function parseV6(s: string, out: Uint8Array): boolean {
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groups = (h: string | undefined) => (h === undefined || h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const words: number[] = [];
  const push = (list: string[], isLast: boolean): boolean => {
    for (let i = 0; i < list.length; i++) {
      const g = list[i] as string;
      if (isLast && i === list.length - 1 && g.includes(".")) {
        const v4 = new Uint8Array(4);
        if (!parseV4(g, v4, 0)) return false;
        words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-f]{1,4}$/i.test(g)) return false;
      words.push(Number.parseInt(g, 16));
    }
    return true;
  };
  if (!push(head, halves.length === 1)) return false;
  const headCount = words.length;
  if (!push(tail, true)) return false;
  const missing = 8 - words.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return false;
  const all = [...words.slice(0, headCount), ...new Array<number>(missing).fill(0), ...words.slice(headCount)];
  for (let i = 0; i < 8; i++) {
    out[i * 2] = (all[i] as number) >> 8;
    out[i * 2 + 1] = (all[i] as number) & 0xff;
  }
  return true;
}

/**
 * Parses "203.0.113.5", "2001:db8::1" or "[2001:db8::1]" into 16 bytes; undefined for anything
 * else, including surrounding whitespace, a zone id ("fe80::1%eth0"), a port, or a bracketed IPv4.
 */
export function parseIp(input: string): Uint8Array | undefined {
  let s = input;
  if (s.startsWith("[") && s.endsWith("]")) {
    s = s.slice(1, -1);
    if (!s.includes(":")) return undefined;
  }
  const out = new Uint8Array(16);
  if (!s.includes(":")) {
    out[10] = 0xff;
    out[11] = 0xff;
    return parseV4(s, out, 12) ? out : undefined;
  }
  return parseV6(s, out) ? out : undefined;
}

/** A range's text as the suggestion in an error shows it: dotted IPv4, or RFC 5952 IPv6. */
function formatRange(bytes: Uint8Array, prefix: number, isV4: boolean): string {
  if (isV4) return `${bytes.subarray(12).join(".")}/${prefix - 96}`;
  // RFC 5952 §5: an IPv4-mapped address keeps its dotted tail.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.subarray(12).join(".")}/${prefix}`;
  }
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[i * 2] as number) << 8) | (bytes[i * 2 + 1] as number));
  // RFC 5952 §4.2: the longest run of two or more zero groups (the first, on a tie) becomes "::".
  let bestAt = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestAt = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (list: number[]) => list.map((w) => w.toString(16)).join(":");
  const text = bestAt === -1 ? hex(words) : `${hex(words.slice(0, bestAt))}::${hex(words.slice(bestAt + bestLength))}`;
  return `${text}/${prefix}`;
}

/** Why a configured entry is not a range, worded for the TypeError that names the option. */
export interface CidrProblem {
  readonly problem: string;
}

/**
 * Reads "10.0.0.0/8", "2001:db8::/32" or a single address (a /32 or /128), or says what is wrong:
 * not an address, whitespace, a zone id, a prefix that is not 0–32 (IPv4) or 0–128 (IPv6) written
 * without leading zeros, or host bits set ("1.2.3.4/24": is 1.2.3.0/24 meant, or 1.2.3.4 alone?).
 * A range with host bits set is refused rather than masked, because "1.2.3.4/0" silently allows
 * every IPv4 address.
 */
export function readCidr(input: string): Cidr | CidrProblem {
  if (/\s/.test(input)) {
    return { problem: "contains whitespace; give each range as its own list entry, without spaces" };
  }
  if (input.includes("%")) return { problem: "has a zone id (%…); zone ids are not matched, remove it" };
  const slash = input.indexOf("/");
  const address = slash === -1 ? input : input.slice(0, slash);
  const bytes = parseIp(address);
  if (bytes === undefined) return { problem: "is not an IPv4/IPv6 address or CIDR range" };
  const isV4 = !address.includes(":");
  const max = isV4 ? 32 : 128;
  const text = slash === -1 ? String(max) : input.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(text) || Number(text) > max) {
    return { problem: `has prefix "/${text}"; write a prefix from 0 to ${max} without leading zeros` };
  }
  const prefix = Number(text) + (isV4 ? 96 : 0);
  const masked = new Uint8Array(16);
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    masked[byte] = (masked[byte] as number) | ((bytes[byte] as number) & (0x80 >> (bit & 7)));
  }
  for (let i = 0; i < 16; i++) {
    if (masked[i] !== bytes[i]) {
      return {
        problem: `has host bits set after its /${text} prefix; did you mean ${formatRange(masked, prefix, isV4)}, or ${address} alone?`,
      };
    }
  }
  return { bytes, prefix };
}

/** `readCidr` without the reason: the range, or undefined. */
export function parseCidr(input: string): Cidr | undefined {
  const cidr = readCidr(input);
  return "problem" in cidr ? undefined : cidr;
}

export function cidrContains(cidr: Cidr, address: Uint8Array): boolean {
  const full = cidr.prefix >> 3;
  for (let i = 0; i < full; i++) if (cidr.bytes[i] !== address[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((cidr.bytes[full] as number) & mask) === ((address[full] as number) & mask);
}

export function inList(list: readonly Cidr[], address: Uint8Array): boolean {
  for (const cidr of list) if (cidrContains(cidr, address)) return true;
  return false;
}
