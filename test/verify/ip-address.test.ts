/**
 * The strict address and range parser behind `ipAllowList` and `trustedProxies` (issue 23):
 * host bits, whitespace, leading zeros and zone ids are refused, with a reason that says what to
 * write instead; addresses read from the socket or `X-Forwarded-For` follow the same rules, and
 * one that does not parse is never believed.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { clientAddress } from "../../src/verify/client-address.js";
import { cidrContains, parseCidr, parseIp, readCidr } from "../../src/verify/ip-address.js";
import { resolveVerifyOptions } from "../../src/verify/options.js";

const problemOf = (input: string) => {
  const read = readCidr(input);
  return "problem" in read ? read.problem : undefined;
};

describe("readCidr refuses loose ranges, saying why", () => {
  test.each([
    ["1.2.3.4/0", "did you mean 0.0.0.0/0, or 1.2.3.4 alone?"],
    ["1.2.3.4/24", "did you mean 1.2.3.0/24, or 1.2.3.4 alone?"],
    ["10.0.0.1/9", "did you mean 10.0.0.0/9,"],
    ["10.200.0.0/9", "did you mean 10.128.0.0/9,"],
    ["2001:db8::1/32", "did you mean 2001:db8::/32,"],
    ["2001:db8:0:0:1::/64", "did you mean 2001:db8::/64,"],
    // RFC 5952: the longest zero run is "::"; on a tie, the first.
    ["1:0:0:1:0:0:0:1/127", "did you mean 1:0:0:1::/127,"],
    ["1:0:0:2:0:0:3:1/112", "did you mean 1::2:0:0:3:0/112,"],
    ["::ffff:10.1.2.3/120", "did you mean ::ffff:10.1.2.0/120,"],
  ])("host bits: %s", (input, suggestion) => {
    expect(problemOf(input)).toContain(`has host bits set`);
    expect(problemOf(input)).toContain(suggestion);
  });

  test.each([
    " 10.0.0.0/8",
    "10.0.0.0/8 ",
    "10.0.0.0 /8",
    "10.0.0.0/ 8",
    "\t::1",
    "::1\n",
    "10.0.0.0/8,\u00a010.1.0.0/16",
  ])("whitespace on either side is refused alike: %j", (input) => {
    expect(problemOf(input)).toMatch(/contains whitespace/);
  });

  test.each(["10.0.0.0/08", "10.0.0.0/008", "::/0128", "10.0.0.0/+8", "10.0.0.0/", "10.0.0.0/8/8", "10.0.0.0/0x8"])(
    "prefix not a plain number from 0 to the maximum: %s",
    (input) => {
      expect(problemOf(input)).toMatch(/has prefix .* without leading zeros/);
    },
  );

  test.each(["010.0.0.0/8", "10.0.0.00", "[10.0.0.1]", "10.0.0.1:80", "1.2.3.4.5", ":::1"])(
    "not an address: %s",
    (input) => {
      expect(problemOf(input)).toBe("is not an IPv4/IPv6 address or CIDR range");
    },
  );

  test.each(["fe80::1%eth0", "fe80::/10%eth0", "fe80::%1/10", "10.1.2.3%evil"])("zone id: %s", (input) => {
    expect(problemOf(input)).toMatch(/zone id/);
  });

  test.each([
    ["0.0.0.0/0", 96],
    ["10.0.0.0/8", 104],
    ["203.0.113.7", 128],
    ["::/0", 0],
    ["2001:db8::/32", 32],
    ["[2001:db8::1]", 128],
    ["::ffff:10.1.2.0/120", 120],
    ["FE80::/10", 10],
    ["2001:0db8::/32", 32],
  ])("accepts %s", (input, prefix) => {
    expect(parseCidr(input)?.prefix).toBe(prefix);
  });

  test("every suggestion is a range that parses and covers the address given (property, seeded)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.ipV4().map((ip) => ({ ip, max: 32 })),
          fc.ipV6().map((ip) => ({ ip, max: 128 })),
        ),
        fc.nat(128),
        ({ ip, max }, p) => {
          const prefix = p % (max + 1);
          const read = readCidr(`${ip}/${prefix}`);
          const address = parseIp(ip);
          if (address === undefined) throw new Error(`fast-check gave an address the parser refuses: ${ip}`);
          if (!("problem" in read)) {
            expect(cidrContains(read, address)).toBe(true);
            return;
          }
          const suggested = /did you mean (\S+),/.exec(read.problem)?.[1];
          const range = suggested === undefined ? undefined : parseCidr(suggested);
          expect(range, read.problem).toBeDefined();
          expect(range?.prefix).toBe(prefix + (max === 32 ? 96 : 0));
          expect(cidrContains(range as NonNullable<typeof range>, address)).toBe(true);
        },
      ),
      { seed: 20250523, numRuns: 500 },
    );
  });
});

describe("parseIp: addresses read from the request", () => {
  test.each([
    "10.1.2.3%evil",
    "fe80::1%eth0",
    " 10.1.2.3",
    "10.1.2.3 ",
    "10.1.2.3:8080",
    "[10.1.2.3]",
    "[::1",
    "",
    "010.1.2.3",
  ])("refuses %j", (input) => {
    expect(parseIp(input)).toBeUndefined();
  });
});

describe("clientAddress: X-Forwarded-For from a trusted proxy", () => {
  const options = resolveVerifyOptions({ ipAllowList: ["10.1.2.0/24"], trustedProxies: ["127.0.0.1", "10.9.0.0/16"] });
  const read = (forwarded: string) => {
    const address = clientAddress("127.0.0.1", forwarded, options);
    return address === undefined ? undefined : address.subarray(12).join(".");
  };

  test("entries are trimmed of spaces and tabs only (an HTTP list's whitespace)", () => {
    expect(read("10.1.2.3")).toBe("10.1.2.3");
    expect(read(" \t10.1.2.3 \t")).toBe("10.1.2.3");
    expect(read("198.51.100.1 ,\t10.1.2.3 , 10.9.0.1")).toBe("10.1.2.3");
  });

  test.each(["10.1.2.3%evil", "10.1.2.3%25evil", "10.1.2.3:443", "", "10.1.2.3,", "10.1.2.3, ,10.9.0.1", "x"])(
    "an entry that does not parse, reached while walking trusted hops, makes the client unknown: %j",
    (forwarded) => {
      expect(read(forwarded)).toBeUndefined();
    },
  );

  test("a peer with a zone id is unknown", () => {
    expect(clientAddress("fe80::1%eth0", undefined, options)).toBeUndefined();
  });
});
