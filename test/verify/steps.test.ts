/** Each pipeline step alone, table-driven. */
import { createServer, request } from "node:http";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { verifyNodeRequest } from "../../src/adapters/node.js";
import { checkMediaType } from "../../src/verify/check-media-type.js";
import { checkMethod } from "../../src/verify/check-method.js";
import { matchesAnySecret } from "../../src/verify/constant-time-equal.js";
import { decodeParameters } from "../../src/verify/decode-parameters.js";
import { cidrContains, parseCidr, parseIp } from "../../src/verify/ip-address.js";
import { resolveVerifyOptions } from "../../src/verify/options.js";
import { parseJson } from "../../src/verify/parse-json.js";
import { closeServer, listenLocal } from "../helpers/http.js";

describe("parseJson", () => {
  const cases: [string, { given: string; want: unknown }][] = [
    [
      "object",
      {
        given: '{"a":"1","b":[1,true,null,{"c":"\\u00e9\\n"}]}',
        want: { value: { a: "1", b: [1, true, null, { c: "é\n" }] } },
      },
    ],
    ["truncated string", { given: '{"a":"1', want: { error: "truncated_json" } }],
    ["truncated literal", { given: '{"a":tr', want: { error: "truncated_json" } }],
    ["truncated after comma", { given: '{"a":"1",', want: { error: "truncated_json" } }],
    ["trailing comma", { given: '{"a":"1",}', want: { error: "malformed_json", offset: 9 } }],
    ["unquoted macro", { given: '{"a":{Payout}}', want: { error: "malformed_json", offset: 6 } }],
    ["trailing data", { given: '{"a":"1"} x', want: { error: "malformed_json", offset: 10 } }],
    ["raw control character", { given: '{"a":"\u0001"}', want: { error: "malformed_json", offset: 6 } }],
    ["leading zero", { given: '{"a":01}', want: { error: "malformed_json", offset: 6 } }],
    ["duplicate nested key", { given: '{"a":{"b":1,"b":2}}', want: { error: "duplicate_key", path: "/a/b" } }],
    [
      "toString is an ordinary key",
      { given: '{"toString":"1","constructor":"2"}', want: { value: { toString: "1", constructor: "2" } } },
    ],
    ["__proto__", { given: '{"x":[{"__proto__":{}}]}', want: { error: "forbidden_key", path: "/x/0/__proto__" } }],
    ["too deep", { given: "[[[[1]]]]", want: { error: "nesting_too_deep" } }],
  ];
  test.each(cases)("%s", (_name, { given, want }) => {
    expect(parseJson(given, 3)).toEqual(want);
  });

  test("agrees with JSON.parse on any JSON without duplicate keys (property, seeded)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const text = JSON.stringify(value);
        const parsed = parseJson(text, 64);
        const expected = JSON.parse(text) as unknown;
        if (text.includes('"__proto__"')) return;
        expect(parsed).toEqual({ value: expected });
      }),
      { seed: 20240611, numRuns: 300 },
    );
  });
});

describe("decodeParameters", () => {
  const cases: [string, { given: string; want: unknown }][] = [
    ["plain", { given: "a=1&b=x+y&c=%C3%A9", want: { record: { a: "1", b: "x y", c: "é" }, repeated: undefined } }],
    [
      "empty segments skipped, empty values kept",
      { given: "&a=&&b", want: { record: { a: "", b: "" }, repeated: undefined } },
    ],
    ["repeated", { given: "a=1&a=2", want: { record: { a: ["1", "2"] }, repeated: new Set(["/a"]) } }],
    [
      "every repeated key, in order",
      { given: "b=1&a=1&a=2&b=2", want: { record: { a: ["1", "2"], b: ["1", "2"] }, repeated: new Set(["/a", "/b"]) } },
    ],
    [
      "prototype names are ordinary keys",
      { given: "toString=1&constructor=2", want: { record: { toString: "1", constructor: "2" }, repeated: undefined } },
    ],
    ["literal %", { given: "a=50%&b=%zz", want: { record: { a: "50%", b: "%zz" }, repeated: undefined } }],
    ["invalid UTF-8", { given: "a=%C3%28", want: { error: "invalid_utf8", path: "/a" } }],
    ["__proto__", { given: "__proto__=1", want: { error: "forbidden_key", path: "/__proto__" } }],
    ["too many", { given: "a=1&b=2&c=3&d=4&e=5", want: { error: "too_many_parameters" } }],
  ];
  test.each(cases)("%s", (_name, { given, want }) => {
    expect(decodeParameters(given, 4)).toEqual(want);
  });
  test("the withheld key (the secret's parameter) never enters the record, and its values are kept apart", () => {
    const decoded = decodeParameters("a=1&secret=s%201&b=2&secret=x", 10, "secret");
    expect(decoded).toEqual({ record: { a: "1", b: "2" }, repeated: undefined, withheld: ["s 1", "x"] });
    expect(Object.hasOwn((decoded as { record: object }).record, "secret")).toBe(false);
  });
});

describe("IP allow-list", () => {
  const cases: [string, { cidr: string; ip: string; want: boolean }][] = [
    ["v4 in range", { cidr: "203.0.113.0/24", ip: "203.0.113.77", want: true }],
    ["v4 out of range", { cidr: "203.0.113.0/24", ip: "203.0.114.1", want: false }],
    ["v4 range matches v4-mapped v6 peer", { cidr: "127.0.0.0/8", ip: "::ffff:127.0.0.1", want: true }],
    ["odd prefix", { cidr: "10.0.0.0/9", ip: "10.127.255.255", want: true }],
    ["odd prefix outside", { cidr: "10.0.0.0/9", ip: "10.128.0.0", want: false }],
    ["v6 range", { cidr: "2001:db8::/32", ip: "2001:db8:ffff::1", want: true }],
    ["v6 outside", { cidr: "2001:db8::/32", ip: "2001:db9::1", want: false }],
    ["single v6", { cidr: "::1", ip: "[::1]", want: true }],
    ["link-local v6", { cidr: "fe80::/10", ip: "fe80::1", want: true }],
  ];
  test.each(cases)("%s", (_name, { cidr, ip, want }) => {
    const range = parseCidr(cidr);
    const address = parseIp(ip);
    if (range === undefined || address === undefined) throw new Error("unparsable fixture");
    expect(cidrContains(range, address)).toBe(want);
  });
  test.each([
    "256.0.0.1",
    "1.2.3",
    "01.2.3.4",
    "1::2::3",
    "10.0.0.0/33",
    "::/129",
    "x",
    "fe80::/10%eth0",
    "10.0.0.0/08",
    "1.2.3.4/24",
  ])("rejects %s", (s) => {
    expect(parseCidr(s)).toBeUndefined();
  });
  test("misconfiguration fails at start-up", () => {
    expect(() => resolveVerifyOptions({ ipAllowList: ["10.0.0.0/99"] })).toThrow(TypeError);
    expect(() => resolveVerifyOptions({ secret: { values: [""], queryParameter: "t" } })).toThrow(TypeError);
    expect(() => resolveVerifyOptions({ secret: { values: "x" } })).toThrow(TypeError);
  });
});

describe("small steps", () => {
  test("constant-time secret match", () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const secrets = [enc("old"), enc("current")];
    expect(matchesAnySecret(enc("current"), secrets)).toBe(true);
    expect(matchesAnySecret(enc("old"), secrets)).toBe(true);
    expect(matchesAnySecret(enc("curren"), secrets)).toBe(false);
    expect(matchesAnySecret(enc("currentX"), secrets)).toBe(false);
    expect(matchesAnySecret(enc(""), secrets)).toBe(false);
  });
  test("method", () => {
    expect(checkMethod("GET")).toBe("GET");
    expect(checkMethod("HEAD")).toMatchObject({ ok: false, status: 405, headers: { allow: "GET, POST" } });
  });
  test.each([
    ["application/json", "json"],
    ["Application/JSON; Charset=UTF-8", "json"],
    ["application/vnd.impact+json", "json"],
    ["application/x-www-form-urlencoded;charset=utf-8", "form"],
  ])("media type %s", (given, want) => {
    expect(checkMediaType(given)).toBe(want);
  });
  test.each(["application/json; charset=utf-16", "text/json", "application/xml", ""])(
    "refuses media type %j",
    (given) => {
      expect(checkMediaType(given)).toMatchObject({ status: 415 });
    },
  );
});

describe("node: size is checked before the body is read", () => {
  test("a declared Content-Length over the limit is refused with the stream untouched", async () => {
    let didRead: boolean | undefined;
    const server = createServer((req, res) => {
      void verifyNodeRequest(req, { maxBodyBytes: 10 }).then((result) => {
        didRead = req.readableDidRead;
        res.writeHead(result.ok ? 200 : result.status, { connection: "close" }).end();
      });
    });
    const base = await listenLocal(server);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "100" },
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.write('{"a":"1"'); // fewer bytes than declared: the server must not wait for them
    });
    await closeServer(server);
    expect(status).toBe(413);
    expect(didRead).toBe(false);
  });
});
