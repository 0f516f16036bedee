/**
 * The adversarial suite (issue 7): hostile requests, byte for byte over real HTTP on 127.0.0.1,
 * against the project's Node receiver (`createNodeHandler`). Every case must end in its
 * documented status and problem code, with a bounded application/problem+json body that echoes
 * none of the input and carries no stack trace; the handler must never see a refused request.
 * Anchors: body-parser/raw-body (limits, declared sizes), fastify + secure-json-parse (prototype
 * poisoning), qs (parameter limits), RFC 8259 §4 (duplicate keys), RFC 3629 (UTF-8).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_PARAMETERS } from "../../src/verify/options.js";
import { expectCleanProblem, MARKER } from "./expect-clean-problem.js";
import { endlessChunks, type RawResponse, rawRequest, requestHead } from "./raw-http.js";
import { type RunningReceiver, startNodeReceiver } from "./start-node-receiver.js";

const LIMIT = DEFAULT_MAX_BODY_BYTES;
/** A second receiver with room for large-but-legal input (1 MB values, 100 000 items, 10 000 query parameters). */
const ROOMY_LIMIT = 8 * 1024 * 1024;

type Server = "default" | "roomy";
type Want = { status: 200 } | { status: number; code: string };
interface Case {
  server?: Server;
  method?: "GET" | "POST";
  target?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  stream?: () => Iterable<string>;
  want: Want;
}

const json = { "content-type": "application/json" };
const form = { "content-type": "application/x-www-form-urlencoded" };
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

/** A valid JSON notification of exactly `size` bytes (a padding field fills it up). */
function bodyOfSize(size: number): string {
  const head = `{"payout":"5.00","note":"${MARKER}`;
  const tail = '"}';
  return head + "x".repeat(size - head.length - tail.length) + tail;
}

const nested = (depth: number) => `{"items":${"[".repeat(depth)}${"]".repeat(depth)}}`;
const manyParams = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=${MARKER}`).join("&");

const cases: [string, Case][] = [
  // Limits: −1 / = / +1, declared and streamed.
  ["JSON body at limit − 1", { body: bodyOfSize(LIMIT - 1), want: { status: 200 } }],
  ["JSON body at the limit", { body: bodyOfSize(LIMIT), want: { status: 200 } }],
  ["JSON body at limit + 1", { body: bodyOfSize(LIMIT + 1), want: { status: 413, code: "payload_too_large" } }],
  [
    "chunked body at the limit",
    { stream: () => chunked(bodyOfSize(LIMIT)), headers: { "transfer-encoding": "chunked" }, want: { status: 200 } },
  ],
  [
    "chunked body at limit + 1",
    {
      stream: () => chunked(bodyOfSize(LIMIT + 1)),
      headers: { "transfer-encoding": "chunked" },
      want: { status: 413, code: "payload_too_large" },
    },
  ],
  ["form body with __proto__", { headers: form, body: "__proto__=1", want: { status: 400, code: "forbidden_key" } }],
  // JSON syntax and structure.
  ["JSON nested 10 000 levels", { body: nested(10_000), want: { status: 400, code: "nesting_too_deep" } }],
  [
    "JSON nested 100 000 levels (over the body limit)",
    { body: nested(100_000), want: { status: 413, code: "payload_too_large" } },
  ],
  [
    "JSON nested 100 000 levels (roomy limit)",
    { server: "roomy", body: nested(100_000), want: { status: 400, code: "nesting_too_deep" } },
  ],
  ["duplicate key", { body: `{"payout":"1.00","payout":"${MARKER}"}`, want: { status: 400, code: "duplicate_key" } }],
  [
    "duplicate key nested in items",
    { body: `{"items":[{"qty":"1","qty":"2"}]}`, want: { status: 400, code: "duplicate_key" } },
  ],
  ["UTF-8 BOM before the JSON", { body: bytes([0xef, 0xbb, 0xbf], '{"payout":"1.00"}'), want: { status: 200 } }],
  [
    "two BOMs",
    { body: bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], "{}"), want: { status: 400, code: "malformed_json" } },
  ],
  [
    "invalid UTF-8 byte",
    { body: bytes('{"sku":"', [0xff], `${MARKER}"}`), want: { status: 400, code: "invalid_utf8" } },
  ],
  ["overlong UTF-8", { body: bytes('{"sku":"', [0xc0, 0xaf], '"}'), want: { status: 400, code: "invalid_utf8" } }],
  [
    "UTF-8-encoded surrogate",
    { body: bytes('{"sku":"', [0xed, 0xa0, 0x80], '"}'), want: { status: 400, code: "invalid_utf8" } },
  ],
  [
    "truncated UTF-8 sequence at the end",
    { body: bytes('{"sku":"x"}', [0xe2, 0x82]), want: { status: 400, code: "invalid_utf8" } },
  ],
  ["lone surrogate escape in a free-text value", { body: '{"sku":"\\ud800"}', want: { status: 200 } }],
  [
    "lone surrogate escape in a decimal",
    { body: '{"payout":"1\\udc00"}', want: { status: 422, code: "invalid_notification" } },
  ],
  ["root array", { body: `["${MARKER}"]`, want: { status: 400, code: "non_object_root" } }],
  ["root string", { body: `"${MARKER}"`, want: { status: 400, code: "non_object_root" } }],
  ["root null", { body: "null", want: { status: 400, code: "non_object_root" } }],
  ["truncated body", { body: `{"payout":"${MARKER}`, want: { status: 400, code: "truncated_json" } }],
  ["malformed JSON", { body: `{"payout":${MARKER}}`, want: { status: 400, code: "malformed_json" } }],
  ["empty body", { body: "", want: { status: 400, code: "empty_body" } }],
  [
    "1 MB string value (over the default limit)",
    { body: `{"sku":"${"s".repeat(1_000_000)}"}`, want: { status: 413, code: "payload_too_large" } },
  ],
  [
    "1 MB string value (roomy limit)",
    { server: "roomy", body: `{"sku":"${"s".repeat(1_000_000)}"}`, want: { status: 200 } },
  ],
  [
    "100 000 items (roomy limit)",
    { server: "roomy", body: `{"items":[${Array(100_000).fill('{"qty":"1"}').join(",")}]}`, want: { status: 200 } },
  ],
  [
    "100 000 items, the last one invalid (roomy limit)",
    {
      server: "roomy",
      body: `{"items":[${[...Array(99_999).fill('{"qty":"1"}'), `{"qty":"${MARKER}"}`].join(",")}]}`,
      want: { status: 422, code: "invalid_notification" },
    },
  ],
  // Prototype poisoning, plain and escaped, at the root and in items.
  ["__proto__ in the body", { body: '{"__proto__":{"polluted":"yes"}}', want: { status: 400, code: "forbidden_key" } }],
  [
    "escaped \\u005f_proto__",
    { body: '{"\\u005f_proto__":{"polluted":"yes"}}', want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "fully escaped __proto__",
    { body: '{"\\u005f\\u005f\\u0070roto\\u005f\\u005f":{}}', want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "__proto__ in items",
    { body: '{"items":[{"qty":"1"},{"__proto__":{"x":1}}]}', want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "constructor.prototype",
    { body: '{"constructor":{"prototype":{"polluted":"yes"}}}', want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "escaped constructo\\u0072.prototyp\\u0065",
    {
      body: '{"constructo\\u0072":{"prototyp\\u0065":{"polluted":"yes"}}}',
      want: { status: 400, code: "forbidden_key" },
    },
  ],
  [
    "constructor.prototype in items",
    { body: '{"items":[{"constructor":{"prototype":{"x":1}}}]}', want: { status: 400, code: "forbidden_key" } },
  ],
  ["constructor as a plain string value", { body: '{"constructor":"x","prototype":"y"}', want: { status: 200 } }],
  // Query strings.
  ["GET __proto__", { method: "GET", target: `/?__proto__=${MARKER}`, want: { status: 400, code: "forbidden_key" } }],
  [
    "GET percent-encoded %5F%5Fproto%5F%5F",
    { method: "GET", target: "/?%5F%5Fproto%5F%5F=1", want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "GET bracket syntax is a flat key, never nesting",
    { method: "GET", target: "/?constructor[prototype][x]=1&__proto__[x]=1", want: { status: 200 } },
  ],
  [
    "GET constructor=…&prototype=… stays plain strings",
    { method: "GET", target: "/?constructor=1&prototype=2", want: { status: 200 } },
  ],
  [
    "GET at the parameter limit",
    { method: "GET", target: `/?${manyParams(DEFAULT_MAX_PARAMETERS)}`, want: { status: 200 } },
  ],
  [
    "GET parameter limit + 1",
    {
      method: "GET",
      target: `/?${manyParams(DEFAULT_MAX_PARAMETERS + 1)}`,
      want: { status: 413, code: "too_many_parameters" },
    },
  ],
  // 10 000 parameters are ~150 KB: over Node's 16 KiB header limit, so Node answers 431 first.
  [
    "GET 10 000 parameters (Node's header limit)",
    { method: "GET", target: `/?${manyParams(10_000)}`, want: { status: 431, code: "" } },
  ],
  [
    "GET 10 000 parameters (roomy maxHeaderSize)",
    {
      server: "roomy",
      method: "GET",
      target: `/?${manyParams(10_000)}`,
      want: { status: 413, code: "too_many_parameters" },
    },
  ],
  [
    "form body with ~4 600 parameters (up to the body limit)",
    { headers: form, body: manyParams(10_000).slice(0, LIMIT - 1), want: { status: 413, code: "too_many_parameters" } },
  ],
  [
    "GET repeated key",
    { method: "GET", target: `/?payout=1.00&payout=${MARKER}`, want: { status: 422, code: "invalid_notification" } },
  ],
  ["GET empty key", { method: "GET", target: "/?=1", want: { status: 200 } }],
  ["GET repeated empty key", { method: "GET", target: "/?=1&=2", want: { status: 422, code: "invalid_notification" } }],
  ["GET empty segments", { method: "GET", target: "/?&&&payout=1.00&&", want: { status: 200 } }],
  [
    "GET lone % in a decimal",
    { method: "GET", target: "/?payout=5%", want: { status: 422, code: "invalid_notification" } },
  ],
  ["GET broken escape %ZZ kept literally in free text", { method: "GET", target: "/?sku=%ZZ", want: { status: 200 } }],
  [
    "GET percent-encoded invalid UTF-8 value",
    { method: "GET", target: `/?sku=%FF${MARKER}`, want: { status: 400, code: "invalid_utf8" } },
  ],
  [
    "GET truncated UTF-8 in a key",
    { method: "GET", target: "/?%E2%82=1", want: { status: 400, code: "invalid_utf8" } },
  ],
  [
    "GET percent-encoded surrogate",
    { method: "GET", target: "/?sku=%ED%A0%80", want: { status: 400, code: "invalid_utf8" } },
  ],
  ["GET 8 KB value", { method: "GET", target: `/?sku=${"v".repeat(8 * 1024)}`, want: { status: 200 } }],
  // Node's own limit (http maxHeaderSize, 16 KiB by default) answers before the receiver runs.
  [
    "GET 64 KB value (Node's header limit)",
    { method: "GET", target: `/?sku=${"v".repeat(64 * 1024)}`, want: { status: 431, code: "" } },
  ],
];

/** A string as chunked transfer coding, in 4 KiB chunks, with the last chunk. */
function* chunked(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += 4096) {
    const part = text.slice(i, i + 4096);
    yield `${Buffer.byteLength(part).toString(16)}\r\n${part}\r\n`;
  }
  yield "0\r\n\r\n";
}

let receivers: Record<Server, RunningReceiver>;

beforeAll(async () => {
  receivers = {
    default: await startNodeReceiver(),
    roomy: await startNodeReceiver({ maxBodyBytes: ROOMY_LIMIT }, undefined, { maxHeaderSize: 1024 * 1024 }),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(receivers).map((r) => r.close()));
});

async function send(c: Case): Promise<RawResponse> {
  const method = c.method ?? "POST";
  const headers: Record<string, string> = method === "POST" ? { ...json, ...c.headers } : { ...c.headers };
  if (method === "POST" && c.body !== undefined) headers["content-length"] = String(Buffer.byteLength(c.body));
  const port = receivers[c.server ?? "default"].port;
  return rawRequest(port, requestHead(method, c.target ?? "/", headers), {
    ...(c.body === undefined ? {} : { body: c.body }),
    ...(c.stream === undefined ? {} : { stream: c.stream() }),
    timeoutMs: 20_000,
  });
}

describe("hostile input over HTTP (Node receiver)", () => {
  test.each(cases)("%s", async (_name, c) => {
    const receiver = receivers[c.server ?? "default"];
    const before = receiver.seen.length;
    const response = await send(c);
    if (c.want.status === 200) {
      expect(response.status, response.body).toBe(200);
      expect(receiver.seen.length).toBe(before + 1);
      return;
    }
    // A refused request never reaches the handler.
    expect(receiver.seen.length).toBe(before);
    if (c.want.status === 431) {
      expect(response.status).toBe(431);
      expect(response.body).not.toContain(MARKER);
      return;
    }
    expectCleanProblem(response, c.want as { status: number; code: string });
  });
});

describe("sizes refused before or while reading (raw-body's declared and streamed limits)", () => {
  test("Content-Length far over the limit is refused before a byte of the body is sent", async () => {
    const response = await rawRequest(
      receivers.default.port,
      requestHead("POST", "/", { ...json, "content-length": String(1e12) }),
    );
    expect(response.bytesSent).toBe(0);
    expectCleanProblem(response, { status: 413, code: "payload_too_large" });
  });

  test("Content-Length at limit + 1 is refused from the header alone", async () => {
    const response = await rawRequest(
      receivers.default.port,
      requestHead("POST", "/", { ...json, "content-length": String(LIMIT + 1) }),
    );
    expect(response.bytesSent).toBe(0);
    expectCleanProblem(response, { status: 413, code: "payload_too_large" });
  });

  test("a chunked body that never ends is cut off once past the limit", async () => {
    // Up to 64 MiB offered in 16 KiB chunks; the answer must come long before.
    const response = await rawRequest(
      receivers.default.port,
      requestHead("POST", "/", { ...json, "transfer-encoding": "chunked" }),
      { stream: endlessChunks(16 * 1024, 4096), timeoutMs: 20_000 },
    );
    expectCleanProblem(response, { status: 413, code: "payload_too_large" });
    // Socket buffers let the client get a few MiB ahead; never the whole 64 MiB.
    expect(response.bytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  test("a chunked body that stalls within the limit is bounded by the server's requestTimeout", async () => {
    const receiver = await startNodeReceiver({}, undefined, { requestTimeout: 1000, connectionsCheckingInterval: 100 });
    try {
      const start = performance.now();
      const response = await rawRequest(
        receiver.port,
        requestHead("POST", "/", { ...json, "transfer-encoding": "chunked" }),
        { body: '5\r\n{"a":\r\n', timeoutMs: 10_000 },
      );
      // Node answers 408 itself; the handler never sees the partial body.
      expect(response.status).toBe(408);
      expect(performance.now() - start).toBeLessThan(5000);
      expect(receiver.seen.length).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  for (const mode of ["content-length", "chunked"] as const) {
    test(`a 64 MiB body (${mode}) is refused and memory stays bounded`, async () => {
      const size = 64 * 1024 * 1024;
      const chunk = 64 * 1024;
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const rssBefore = process.memoryUsage().rss;
      const response = await rawRequest(
        receivers.default.port,
        requestHead(
          "POST",
          "/",
          mode === "chunked"
            ? { ...json, "transfer-encoding": "chunked" }
            : { ...json, "content-length": String(size) },
        ),
        {
          stream: mode === "chunked" ? endlessChunks(chunk, size / chunk) : rawChunks(chunk, size / chunk),
          timeoutMs: 30_000,
        },
      );
      expectCleanProblem(response, { status: 413, code: "payload_too_large" });
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      // Client and server share this process, so this bounds both: far below the 64 MiB offered.
      expect(heapGrowth).toBeLessThan(16 * 1024 * 1024);
      expect(rssGrowth).toBeLessThan(32 * 1024 * 1024);
      expect(response.bytesSent).toBeLessThan(16 * 1024 * 1024);
    });
  }
});

function* rawChunks(size: number, count: number): Generator<string> {
  const data = "7".repeat(size);
  for (let i = 0; i < count; i++) yield data;
}
