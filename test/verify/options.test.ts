/** Configuration mistakes fail when the receiver is created, not on every delivery. */
import { describe, expect, test } from "vitest";
import { createNodeHandler } from "../../src/adapters/node.js";
import { createFetchHandler, verifyRequest } from "../../src/index.js";

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
