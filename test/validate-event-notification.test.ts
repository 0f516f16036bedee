import { describe, expect, test } from "vitest";
import {
  EventNotificationError,
  parseEventNotification,
  toProblemDetails,
  type ValidateOptions,
  validateEventNotification,
} from "../src/index.js";

// The documented examples: the v15/v16 contract's illustration values (facts sheet §4.1 "Official
// OpenAPI illustration", §7: campaign_id 10306, action_id 1234567890, status APPROVED, payout 5.00,
// item APP-0016 / 1 / 719.10).
const documentedBody = {
  campaign_id: "10306",
  action_id: "1234567890",
  status: "APPROVED",
  payout: "5.00",
  items: [{ sku: "APP-0016", qty: "1", amt: "719.10" }],
};
const documentedQuery = "campaign_id=10306&action_id=1234567890&status=APPROVED&payout=5.00";

type Want = { ok: true; delivery: "GET" | "POST" } | { ok: false; code: string; status: number; paths: string[] };
const cases: [string, { given: unknown; options?: ValidateOptions; want: Want }][] = [
  ["documented POST body", { given: documentedBody, want: { ok: true, delivery: "POST" } }],
  ["documented GET query string", { given: documentedQuery, want: { ok: true, delivery: "GET" } }],
  ["GET query with leading ?", { given: `?${documentedQuery}`, want: { ok: true, delivery: "GET" } }],
  [
    "GET full URL",
    { given: `https://partner.example/postback?${documentedQuery}`, want: { ok: true, delivery: "GET" } },
  ],
  ["GET access-log path", { given: `/postback?${documentedQuery}#frag`, want: { ok: true, delivery: "GET" } }],
  ["GET URLSearchParams", { given: new URLSearchParams(documentedQuery), want: { ok: true, delivery: "GET" } }],
  ["GET URL", { given: new URL(`https://x.example/p?${documentedQuery}`), want: { ok: true, delivery: "GET" } }],
  [
    "GET record (Express req.query)",
    {
      given: { campaign_id: "10306", payout: "5.00" },
      options: { delivery: "GET" },
      want: { ok: true, delivery: "GET" },
    },
  ],
  ["empty POST body: every field is optional", { given: {}, want: { ok: true, delivery: "POST" } }],
  ["empty GET query", { given: "", want: { ok: true, delivery: "GET" } }],
  [
    "payout as number",
    { given: { payout: 5 }, want: { ok: false, code: "invalid_notification", status: 422, paths: ["/payout"] } },
  ],
  [
    "items as string",
    { given: { items: "x" }, want: { ok: false, code: "invalid_notification", status: 422, paths: ["/items"] } },
  ],
  [
    "item qty as number",
    {
      given: { items: [{ qty: 1 }] },
      want: { ok: false, code: "invalid_notification", status: 422, paths: ["/items/0/qty"] },
    },
  ],
  [
    "item amt not decimal",
    {
      given: { items: [{ amt: "7,10" }] },
      want: { ok: false, code: "invalid_notification", status: 422, paths: ["/items/0/amt"] },
    },
  ],
  [
    "status as boolean",
    { given: { status: true }, want: { ok: false, code: "invalid_notification", status: 422, paths: ["/status"] } },
  ],
  [
    "payout null",
    { given: { payout: null }, want: { ok: false, code: "invalid_notification", status: 422, paths: ["/payout"] } },
  ],
  [
    "root array",
    { given: [documentedBody], want: { ok: false, code: "invalid_notification", status: 422, paths: [""] } },
  ],
  ["root null", { given: null, want: { ok: false, code: "invalid_notification", status: 422, paths: [""] } }],
  [
    "GET repeated key",
    { given: "status=A&status=B", want: { ok: false, code: "invalid_notification", status: 422, paths: ["/status"] } },
  ],
  [
    "GET repeated unknown key",
    { given: "sub=A&sub=B", want: { ok: false, code: "invalid_notification", status: 422, paths: ["/sub"] } },
  ],
  [
    "GET record with array (Express ?status=A&status=B)",
    {
      given: { status: ["A", "B"] },
      options: { delivery: "GET" },
      want: { ok: false, code: "invalid_notification", status: 422, paths: ["/status"] },
    },
  ],
  [
    "GET record with nested object (qs ?a[b]=c)",
    {
      given: { a: { b: "c" } },
      options: { delivery: "GET" },
      want: { ok: false, code: "invalid_notification", status: 422, paths: ["/a"] },
    },
  ],
  [
    "GET payout not decimal",
    { given: "payout=5.", want: { ok: false, code: "invalid_notification", status: 422, paths: ["/payout"] } },
  ],
  [
    "GET __proto__ key",
    { given: "__proto__=x&payout=1", want: { ok: false, code: "forbidden_key", status: 400, paths: ["/__proto__"] } },
  ],
  [
    "GET encoded __proto__ key",
    { given: "%5F%5Fproto%5F%5F=x", want: { ok: false, code: "forbidden_key", status: 400, paths: ["/__proto__"] } },
  ],
  [
    "POST __proto__ at root (JSON.parse keeps it as own key)",
    {
      given: JSON.parse('{"__proto__":{"polluted":"yes"}}'),
      want: { ok: false, code: "forbidden_key", status: 400, paths: ["/__proto__"] },
    },
  ],
  [
    "POST __proto__ inside an item",
    {
      given: JSON.parse('{"items":[{"sku":"a","__proto__":{"polluted":"yes"}}]}'),
      want: { ok: false, code: "forbidden_key", status: 400, paths: ["/items/0/__proto__"] },
    },
  ],
  [
    "POST escaped __proto__ spelling",
    {
      given: JSON.parse('{"\\u005f_proto__":{"polluted":"yes"}}'),
      want: { ok: false, code: "forbidden_key", status: 400, paths: ["/__proto__"] },
    },
  ],
  [
    "POST constructor.prototype",
    {
      given: JSON.parse('{"x":{"constructor":{"prototype":{"polluted":"yes"}}}}'),
      want: { ok: false, code: "forbidden_key", status: 400, paths: ["/x/constructor/prototype"] },
    },
  ],
  [
    "raw JSON string given for POST",
    {
      given: JSON.stringify(documentedBody),
      options: { delivery: "POST" },
      want: { ok: false, code: "invalid_input", status: 400, paths: [] },
    },
  ],
  [
    "GET given a number",
    { given: 5, options: { delivery: "GET" }, want: { ok: false, code: "invalid_input", status: 400, paths: [] } },
  ],
];

describe("validateEventNotification", () => {
  test.each(cases)("%s", (_, { given, options, want }) => {
    const result = validateEventNotification(given, options);
    if (want.ok) {
      expect(result).toMatchObject({ ok: true, delivery: want.delivery });
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(want.code);
      expect(result.error.status).toBe(want.status);
      expect(result.error.issues.map((i) => i.path)).toEqual(want.paths);
    }
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each([1_000, 100_000])("a key nested %i levels deep is found without overflowing the stack", (depth) => {
    const nested = (inner: string) => `{"x":${'{"a":'.repeat(depth)}${inner}${"}".repeat(depth)}}`;
    const polluted = validateEventNotification(JSON.parse(nested('{"__proto__":{"p":1}}')));
    expect(!polluted.ok && polluted.error.code).toBe("forbidden_key");
    expect(!polluted.ok && polluted.error.issues[0]?.path.length).toBeLessThanOrEqual(200);
    const ctor = validateEventNotification(JSON.parse(nested('{"constructor":{"prototype":{"p":1}}}')));
    expect(!ctor.ok && ctor.error.code).toBe("forbidden_key");
    expect(validateEventNotification(JSON.parse(nested('"leaf"'))).ok).toBe(true);
  });

  test("a cyclic object (a caller's, never JSON) is decided, not looped over", () => {
    const cyclic: Record<string, unknown> = { payout: "5.00" };
    cyclic.self = cyclic;
    expect(validateEventNotification(cyclic).ok).toBe(true);
    const polluted: Record<string, unknown> = { payout: "5.00", inner: JSON.parse('{"__proto__":{"p":1}}') };
    (polluted.inner as Record<string, unknown>).back = polluted;
    const result = validateEventNotification(polluted);
    expect(!result.ok && result.error.issues[0]?.path).toBe("/inner/__proto__");
  });

  test("shared references cost linear, not exponential, time", () => {
    let node: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 40; i++) node = { a: node, b: node };
    const started = performance.now();
    expect(validateEventNotification({ payout: "5.00", tree: node }).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("a prototype-polluting key is forbidden_key even when the schema also fails", () => {
    const result = validateEventNotification(JSON.parse('{"payout":5,"__proto__":{"x":1}}'));
    expect(!result.ok && [result.error.code, result.error.status]).toEqual(["forbidden_key", 400]);
    const ctor = validateEventNotification(JSON.parse('{"payout":5,"constructor":{"prototype":{}}}'));
    expect(!ctor.ok && ctor.error.code).toBe("forbidden_key");
  });

  test("contract names are own registry entries, never Object.prototype members", () => {
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(() => validateEventNotification({}, { contract: name as "documented" }), name).toThrow(/Unknown contract/);
    }
  });

  test("returns the input itself: no coercion, extra fields preserved", () => {
    const body = { ...documentedBody, sub_id: "abc", nested: { kept: true } };
    const result = validateEventNotification(body);
    expect(result.ok && result.notification).toBe(body);
    expect(body).toEqual({ ...documentedBody, sub_id: "abc", nested: { kept: true } });
  });

  test("GET notification carries every query value, decoded once", () => {
    const result = validateEventNotification(
      "payout=5.00&CampaignName=Base44%20&RefClickId=zLRQ0O29mxyZTyWRlh0tUVu%3AUkuUkm0HLXyTU40&empty=",
    );
    expect(result).toEqual({
      ok: true,
      contract: "documented",
      delivery: "GET",
      notification: {
        payout: "5.00",
        CampaignName: "Base44 ",
        RefClickId: "zLRQ0O29mxyZTyWRlh0tUVu:UkuUkm0HLXyTU40",
        empty: "",
      },
      notices: [],
    });
  });

  test("a query string is decoded like the HTTP path: WHATWG, and non-UTF-8 bytes refused", () => {
    const lossy = validateEventNotification("sub=%FF&payout=5.00");
    expect(!lossy.ok && [lossy.error.code, lossy.error.status, lossy.error.issues[0]?.path]).toEqual([
      "invalid_utf8",
      400,
      "/sub",
    ]);
    // Node's URLSearchParams gives "%\ufffdA" here; WHATWG percent-decoding gives "%éA".
    const literal = validateEventNotification("%\u00e9%41=1");
    expect(literal.ok && literal.notification).toEqual({ "%\u00e9A": "1" });
  });

  test("a query that is not UTF-8 gets one verdict as a string, a URL and URLSearchParams", () => {
    const query = "campaign_id=1&status=APPROVED%FF";
    const verdicts = [query, new URL(`https://partner.example/impact?${query}`), new URLSearchParams(query)].map(
      (input) => {
        const result = validateEventNotification(input);
        return result.ok ? "accepted" : [result.error.code, result.error.issues[0]?.path];
      },
    );
    expect(verdicts).toEqual([
      ["invalid_utf8", "/status"],
      ["invalid_utf8", "/status"],
      ["invalid_utf8", "/status"],
    ]);
    // A URL keeps its query as received, so Node's URLSearchParams quirk after "%" does not reach it.
    const literal = validateEventNotification(new URL("https://partner.example/?%\u00e9%41=1"));
    expect(literal.ok && literal.notification).toEqual({ "%\u00e9A": "1" });
  });

  test("a repeated key is reported as parameter pollution", () => {
    const result = validateEventNotification("status=APPROVED&status=REVERSED");
    expect(!result.ok && result.error.issues[0]?.code).toBe("repeated_parameter");
  });

  test("an unknown status is accepted with a notice (the value set is open)", () => {
    const result = validateEventNotification({ status: "REJECTED" });
    expect(result.ok).toBe(true);
    expect(result.ok && result.notices).toEqual([expect.objectContaining({ path: "/status", code: "unknown_value" })]);
    const known = validateEventNotification({ status: "REVERSED" });
    expect(known.ok && known.notices).toEqual([]);
  });

  test("stops at the first issue by default; allErrors reports every issue", () => {
    const body = { payout: 5, status: 1, items: [{ qty: "x" }] };
    const first = validateEventNotification(body);
    const all = validateEventNotification(body, { allErrors: true });
    expect(!first.ok && first.error.issues).toHaveLength(1);
    expect(!all.ok && all.error.issues.map((i) => i.path).sort()).toEqual(["/items/0/qty", "/payout", "/status"]);
  });

  test("error messages never echo the received value", () => {
    const secret = "4111111111111111-personal";
    const result = validateEventNotification({ payout: secret, status: 7 }, { allErrors: true });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  test("an unknown contract is a programming error with the fix in the message", () => {
    expect(() => validateEventNotification({}, { contract: "nope" as "documented" })).toThrow(
      /npx impact-event-notifications generate/,
    );
  });

  test("parseEventNotification returns the success or throws EventNotificationError", () => {
    expect(parseEventNotification(documentedQuery).notification).toMatchObject({ payout: "5.00" });
    let thrown: unknown;
    try {
      parseEventNotification({ payout: 5 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventNotificationError);
    expect(thrown).toMatchObject({ name: "EventNotificationError", code: "invalid_notification", status: 422 });
    expect((thrown as Error).message).toContain("/payout");
    expect((thrown as EventNotificationError).toProblemDetails().issues[0]?.path).toBe("/payout");
  });
});

describe("toProblemDetails (RFC 9457)", () => {
  test("has the RFC members and the issues", () => {
    const result = validateEventNotification({ items: "x" });
    if (result.ok) throw new Error("expected a failure");
    expect(toProblemDetails(result.error, { instance: "/notifications" })).toEqual({
      type: "urn:impact-event-notifications:problem:invalid_notification",
      title: "The notification does not match its contract",
      status: 422,
      detail: 'The POST notification does not match contract "documented".',
      code: "invalid_notification",
      issues: [{ path: "/items", code: "type", message: "must be of type array" }],
      instance: "/notifications",
    });
  });

  test("stays bounded whatever the input", () => {
    const body: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) body[`${"k".repeat(5_000)}${i}`] = i;
    const result = validateEventNotification(body, { delivery: "GET", allErrors: true });
    if (result.ok) throw new Error("expected a failure");
    const json = JSON.stringify(toProblemDetails(result.error));
    expect(result.error.issues.length).toBeLessThanOrEqual(20);
    expect(json.length).toBeLessThan(10_000);
  });
});
