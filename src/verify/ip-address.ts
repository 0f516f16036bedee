/**
 * IPv4/IPv6 parsing and CIDR matching without node APIs (the core also runs on Fetch runtimes).
 * Every address becomes 16 bytes; IPv4 is stored IPv4-mapped (RFC 4291 §2.5.5.2), so a v4 range
 * also matches a dual-stack server's "::ffff:203.0.113.5" peer.
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

/** Parses "203.0.113.5", "2001:db8::1", "[2001:db8::1]", "fe80::1%eth0" into 16 bytes. */
export function parseIp(input: string): Uint8Array | undefined {
  let s = input.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone !== -1) s = s.slice(0, zone);
  const out = new Uint8Array(16);
  if (!s.includes(":")) {
    out[10] = 0xff;
    out[11] = 0xff;
    return parseV4(s, out, 12) ? out : undefined;
  }
  return parseV6(s, out) ? out : undefined;
}

/** Parses "10.0.0.0/8", "2001:db8::/32" or a single address (a /32 or /128). */
export function parseCidr(input: string): Cidr | undefined {
  const slash = input.indexOf("/");
  const address = slash === -1 ? input : input.slice(0, slash);
  const bytes = parseIp(address);
  if (bytes === undefined) return undefined;
  const isV4 = !address.includes(":");
  const max = isV4 ? 32 : 128;
  const text = slash === -1 ? String(max) : input.slice(slash + 1);
  if (!/^\d{1,3}$/.test(text) || Number(text) > max) return undefined;
  return { bytes, prefix: Number(text) + (isV4 ? 96 : 0) };
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
