/** Configuration mistakes fail when the receiver is created, not on every delivery. */
import { describe, expect, test } from "vitest";
import { createNodeHandler, type NodeHandlerOptions } from "../../src/adapters/node.js";
import { createFetchHandler, verifyRequest } from "../../src/index.js";
import { MAX_DEPTH_LIMIT, MAX_SECRET_BYTES } from "../../src/verify/options.js";

describe("options are checked at creation", () => {
  test.each([Number.NaN, 0, -1, 1.5, 2 ** 31, 3_000_000_000, Number.NEGATIVE_INFINITY])(
    "timeoutMs %s is refused (Node would turn it into 1 ms: every delivery 503)",
    (timeoutMs) => {
      expect(() => createFetchHandler(() => undefined, { timeoutMs })).toThrow(/timeoutMs must be a whole number/);
      expect(() => createNodeHandler(() => undefined, { timeoutMs })).toThrow(/timeoutMs must be a whole number/);
    },
  );

  test("timeoutMs Infinity means no limit", async () => {
    const handle = createFetchHandler(() => new Promise((r) => setTimeout(r, 30)), {
      timeoutMs: Number.POSITIVE_INFINITY,
    });
    expect((await handle(new Request("http://x.example/n?payout=5.00"))).status).toBe(200);
  });

  test.each(["lifecycle_get", "toString", "__proto__"])("unknown contract %s is refused", (contract) => {
    expect(() => createFetchHandler(() => undefined, { contract: contract as "documented" })).toThrow(
      /Unknown contract/,
    );
  });
});

describe("a method the contract does not receive", () => {
  test("is 405 unsupported_delivery with the contract's Allow, before the body is read", async () => {
    const truncated = new Request("http://x.example/n", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"payout":"5.00"',
    });
    const result = await verifyRequest(truncated, { contract: "lifecycle-get" });
    expect(result).toMatchObject({
      ok: false,
      status: 405,
      error: { code: "unsupported_delivery" },
      headers: { allow: "GET" },
    });
    const get = await verifyRequest(new Request("http://x.example/n?Payout=1"), { contract: "lifecycle-post" });
    expect(get).toMatchObject({ ok: false, status: 405, headers: { allow: "POST" } });
  });
});

describe("sharp options fail at creation, saying what to do (issue 23)", () => {
  const create = (options: NodeHandlerOptions) => () => createNodeHandler(() => undefined, options);

  test.each([MAX_DEPTH_LIMIT + 1, 4_600, 100_000, Number.MAX_SAFE_INTEGER, 0, 2.5])(
    "maxDepth %s is refused (a body that deep would overflow the stack: 500, retried forever)",
    (maxDepth) => {
      expect(create({ maxDepth })).toThrow(TypeError);
      expect(create({ maxDepth })).toThrow(`maxDepth must be a whole number from 1 to ${MAX_DEPTH_LIMIT}`);
      expect(() => createFetchHandler(() => undefined, { maxDepth })).toThrow(TypeError);
    },
  );

  test("maxDepth up to the limit is accepted", () => {
    expect(create({ maxDepth: MAX_DEPTH_LIMIT })).not.toThrow();
    expect(create({ maxDepth: 1 })).not.toThrow();
  });

  const ascii = (n: number) => "k".repeat(n);
  test.each([
    ["header", { values: ascii(MAX_SECRET_BYTES + 1), header: "x-impact-secret" }, /4097 bytes as UTF-8/],
    ["header, 16 KiB", { values: ascii(16 * 1024), header: "x-impact-secret" }, /16384 bytes as UTF-8/],
    // "é" is two UTF-8 bytes: 2049 of them pass the byte limit though only 2049 characters long.
    ["header, counted in UTF-8 bytes", { values: "é".repeat(2049), header: "x-impact-secret" }, /4098 bytes/],
    ["query, 16 KiB", { values: ascii(16 * 1024), queryParameter: "token" }, /16384 characters percent-encoded/],
    // Each "é" is %C3%A9 in a URL: 683 of them are 4098 characters.
    ["query, percent-encoded length", { values: "é".repeat(683), queryParameter: "token" }, /4098 characters/],
    ["query, a space is %20", { values: ` ${ascii(MAX_SECRET_BYTES - 2)}`, queryParameter: "token" }, /4097/],
    [
      "one of several values (rotation)",
      { values: ["s3cret", ascii(MAX_SECRET_BYTES + 1)], queryParameter: "token" },
      /secret\.values\[1\]/,
    ],
  ])("a secret too long for any request Node accepts is refused: %s", (_name, secret, detail) => {
    const make = create({ secret });
    expect(make).toThrow(TypeError);
    expect(make).toThrow(detail);
    expect(make).toThrow(/431.*16 KiB.*--max-http-header-size/);
    expect(make).toThrow(/Use a shorter secret/);
  });

  test("a secret at the limit is accepted (the test over HTTP shows it is delivered)", () => {
    expect(
      create({ secret: { values: ascii(MAX_SECRET_BYTES), header: "x-s", queryParameter: "token" } }),
    ).not.toThrow();
    expect(create({ secret: { values: `${"é".repeat(682)}abcd`, queryParameter: "token" } })).not.toThrow();
    // The query limit counts the percent-encoded form; a header counts bytes only.
    expect(create({ secret: { values: "é".repeat(2048), header: "x-s" } })).not.toThrow();
  });

  test("error messages never contain the secret itself", () => {
    const secret = `${"Zq".repeat(MAX_SECRET_BYTES)}`;
    expect(create({ secret: { values: secret, header: "x-s" } })).toThrow(/^(?!.*ZqZq)/s);
  });

  test.each([
    ["a lone surrogate", { values: "pass\ud800word", queryParameter: "token" }, /lone UTF-16 surrogate/],
    ["a control character, in a header", { values: "pass\nword", header: "x-s" }, /control character/],
    ["DEL, in a header", { values: "pass\u007fword", header: "x-s" }, /control character/],
    ["a leading space, in a header", { values: " password", header: "x-s" }, /space or tab/],
    ["a trailing tab, in a header", { values: "password\t", header: "x-s" }, /space or tab/],
    ["values not an array", { values: 42 as unknown as string, header: "x-s" }, /at least one non-empty string/],
    ["an empty parameter name", { values: "s3cret", queryParameter: "" }, /non-empty parameter name/],
    ["__proto__ as parameter", { values: "s3cret", queryParameter: "__proto__" }, /forbidden_key/],
    ["a header name with a space", { values: "s3cret", header: "x impact secret" }, /HTTP header name/],
    ["a header name with a colon", { values: "s3cret", header: "x-secret:" }, /HTTP header name/],
  ])("a secret no request can deliver is refused: %s", (_name, secret, message) => {
    expect(create({ secret })).toThrow(TypeError);
    expect(create({ secret })).toThrow(message);
  });

  test("a secret a header cannot carry is fine in the query", () => {
    expect(create({ secret: { values: " pass\nword ", queryParameter: "token" } })).not.toThrow();
  });

  test.each([
    [
      "ipAllowList",
      "1.2.3.4/0",
      /"1\.2\.3\.4\/0" has host bits set .* did you mean 0\.0\.0\.0\/0, or 1\.2\.3\.4 alone\?/,
    ],
    ["ipAllowList", "203.0.113.9/24", /did you mean 203\.0\.113\.0\/24/],
    ["trustedProxies", "2001:db8::1/32", /trustedProxies: .*did you mean 2001:db8::\/32/],
    ["ipAllowList", " 10.0.0.0/8", /contains whitespace/],
    ["ipAllowList", "10.0.0.0/8 ", /contains whitespace/],
    ["trustedProxies", "10.0.0.0/08", /without leading zeros/],
    ["ipAllowList", "fe80::/10%eth0", /zone id/],
    ["trustedProxies", "fe80::1%eth0", /zone id/],
  ])("%s %j is refused", (option, entry, message) => {
    expect(create({ [option]: [entry] })).toThrow(TypeError);
    expect(create({ [option]: [entry] })).toThrow(message);
  });

  test.each([
    ["a string instead of an array", "10.0.0.0/8", /must be an array/],
    ["a number entry", [10], /ipAllowList\[0\] must be a string/],
  ])("ipAllowList as %s is refused", (_name, ipAllowList, message) => {
    expect(create({ ipAllowList: ipAllowList as unknown as string[] })).toThrow(TypeError);
    expect(create({ ipAllowList: ipAllowList as unknown as string[] })).toThrow(message);
  });
});
