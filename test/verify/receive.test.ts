/**
 * The adapter core: one send per request, the body read only when the head passed, and the
 * contract the request was routed to handed over with every verdict after routing (what the
 * inbox records), none before it.
 */
import { describe, expect, test } from "vitest";
import { contracts } from "../../generated/index.js";
import { resolveVerifyOptions } from "../../src/verify/options.js";
import { type BodySource, receive } from "../../src/verify/receive.js";
import type { RequestHead } from "../../src/verify/verify-head.js";

interface Given {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Route among the built-in contracts with no fallback (`contracts`), instead of "documented" alone. */
  readonly routed?: true;
}
interface Want {
  readonly status: number;
  readonly code?: string;
  /** The contract's name handed to send, or undefined. */
  readonly contract: string | undefined;
  readonly bodyRead: boolean;
}

class TestRequest implements RequestHead {
  readonly peer = undefined;
  bodyReads = 0;
  constructor(readonly given: Given) {}
  get method() {
    return this.given.method;
  }
  get url() {
    return this.given.url;
  }
  get headers() {
    return this.given.headers ?? {};
  }
}

const body: BodySource<TestRequest, "documented"> = (request, _format, _contract, _options, done) => {
  request.bodyReads++;
  done(new TextEncoder().encode(request.given.body ?? ""));
};

const secret = { values: "s3cret", queryParameter: "token" };
const documented = resolveVerifyOptions({ secret });
const routed = resolveVerifyOptions({ contracts, secret });
const json = { "content-type": "application/json" };
const valid = JSON.stringify({ action_id: "1000.1.2", status: "APPROVED", payout: "5.00" });

const cases: [string, { given: Given; want: Want }][] = [
  [
    "a valid GET: validated without a body",
    {
      given: { method: "GET", url: "/n?token=s3cret&action_id=1000.1.2&status=APPROVED&payout=5.00" },
      want: { status: 200, contract: "documented", bodyRead: false },
    },
  ],
  [
    "a valid POST: its body read once",
    {
      given: { method: "POST", url: "/n?token=s3cret", headers: json, body: valid },
      want: { status: 200, contract: "documented", bodyRead: true },
    },
  ],
  [
    "a method refused before routing: no contract",
    {
      given: { method: "PUT", url: "/n?token=s3cret" },
      want: { status: 405, code: "method_not_allowed", contract: undefined, bodyRead: false },
    },
  ],
  [
    "a wrong secret, after routing: the contract, and no body read",
    {
      given: { method: "POST", url: "/n?token=wrong", headers: json, body: valid },
      want: { status: 401, code: "unauthorized", contract: "documented", bodyRead: false },
    },
  ],
  [
    "a POST to a GET template's route: refused with that contract",
    {
      given: { method: "POST", url: "/webhook/postback-impact?token=s3cret", headers: json, body: valid, routed: true },
      want: { status: 405, code: "unsupported_delivery", contract: "lifecycle-get", bodyRead: false },
    },
  ],
  [
    "a path no contract is configured for: refused before routing, no contract",
    {
      given: { method: "GET", url: "/nowhere?token=s3cret", routed: true },
      want: { status: 404, code: "unknown_route", contract: undefined, bodyRead: false },
    },
  ],
  [
    "an invalid body: the contract",
    {
      given: { method: "POST", url: "/n?token=s3cret", headers: json, body: '{"payout":"5,00"}' },
      want: { status: 422, code: "invalid_notification", contract: "documented", bodyRead: true },
    },
  ],
  [
    "a constructor.prototype in the body: forbidden_key, as validation named it",
    {
      given: { method: "POST", url: "/n?token=s3cret", headers: json, body: '{"a":{"constructor":{"prototype":1}}}' },
      want: { status: 400, code: "forbidden_key", contract: "documented", bodyRead: true },
    },
  ],
];

describe("receive", () => {
  test.each(cases)("%s", (_name, { given, want }) => {
    const request = new TestRequest(given);
    const sent: { status: number; code?: string; contract: string | undefined }[] = [];
    receive(request, given.routed ? routed : documented, body, (to, result, _bytes, contract) => {
      expect(to).toBe(request);
      sent.push({
        status: result.ok ? 200 : result.status,
        ...(result.ok ? {} : { code: result.error.code }),
        contract: contract?.name,
      });
    });
    const { bodyRead, ...verdict } = want;
    expect(sent).toEqual([verdict]);
    expect(request.bodyReads).toBe(bodyRead ? 1 : 0);
  });

  test("a throw in the verifier itself is answered 500 (processingFailed), once", () => {
    const broken = new TestRequest({ method: "GET", url: "/n" });
    Object.defineProperty(broken, "url", {
      get() {
        throw new Error("a bug");
      },
    });
    const sent: number[] = [];
    receive(broken, documented, body, (_to, result) => sent.push(result.ok ? 200 : result.status));
    expect(sent).toEqual([500]);
  });
});
