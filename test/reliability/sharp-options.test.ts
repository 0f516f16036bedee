/**
 * Hostile clients against sharp options (issue 23), byte for byte over real HTTP on 127.0.0.1
 * through the Node receiver (`createNodeHandler`): no option lets a request reach a throw (a 500
 * that impact.com retries forever), and what a request cannot deliver is refused at creation.
 * - depth: a body at `MAX_DEPTH_LIMIT` is answered, `context.key` included, even with half the
 *   default stack; deeper is 400 `nesting_too_deep`.
 * - secret length: a secret at `MAX_SECRET_BYTES`, in both places at once, still fits in a
 *   request Node accepts.
 * - a non-ASCII secret in a header matches its UTF-8 bytes, not Latin-1.
 * - secret in query and header: every place that carries a value carries exactly one right one.
 * - X-Forwarded-For: an entry with a zone id is not an address, so the client is unknown (403).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MAX_DEPTH_LIMIT, MAX_SECRET_BYTES } from "../../src/verify/options.js";
import { expectCleanProblem } from "./expect-clean-problem.js";
import { type RawResponse, rawRequest, requestHead } from "./raw-http.js";
import { type RunningReceiver, startNodeReceiver } from "./start-node-receiver.js";

const JSON_CT = { "content-type": "application/json" };
const q = "campaign_id=25619&action_id=1000.4636.158133&status=APPROVED&payout=100.00";

/** A JSON object `depth` levels deep (the root is level 1), by arrays: `JSON.parse`'s fast path. */
const deepArrays = (depth: number) => `{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
/** The same depth by objects, each key escaped ("\u0061" is "a") so the strict parser reads it. */
const deepObjects = (depth: number) => `${'{"\\u0061":'.repeat(depth - 1)}{}${"}".repeat(depth - 1)}`;

const post = (port: number, body: string) =>
  rawRequest(port, requestHead("POST", "/", { ...JSON_CT, "content-length": String(Buffer.byteLength(body)) }), {
    body,
  });

/** Sends exactly these bytes (request line, headers and all): header values no string API writes. */
const sendBytes = (port: number, ...parts: (string | Buffer)[]) =>
  rawRequest(port, "", {
    body: Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : p))),
  });

describe("JSON nesting: every depth gets its documented answer, never 500", () => {
  let limit: RunningReceiver;
  let byDefault: RunningReceiver;
  const keys: string[] = [];
  beforeAll(async () => {
    // The handler does what partners' handlers do with a notification: key it, log it.
    limit = await startNodeReceiver({ maxDepth: MAX_DEPTH_LIMIT, maxBodyBytes: 4 * 1024 * 1024 }, (n, context) => {
      keys.push(context.key);
      JSON.stringify(n);
    });
    byDefault = await startNodeReceiver({}, (_n, context) => keys.push(context.key));
  });
  afterAll(async () => {
    await limit.close();
    await byDefault.close();
  });

  test.each([
    ["arrays", deepArrays],
    ["objects (strict parser)", deepObjects],
  ])("at maxDepth = MAX_DEPTH_LIMIT, %s at the limit are 200 with context.key read", async (_name, nest) => {
    const seen = limit.seen.length;
    const response = await post(limit.port, nest(MAX_DEPTH_LIMIT));
    expect(response.status, response.body).toBe(200);
    expect(limit.seen.length).toBe(seen + 1);
    expect(keys.at(-1)).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(limit.logged).toEqual([]);
  });

  test.each([
    ["arrays", MAX_DEPTH_LIMIT + 1, deepArrays],
    ["objects (strict parser)", MAX_DEPTH_LIMIT + 1, deepObjects],
    ["arrays", 5_000, deepArrays],
    ["objects (strict parser)", 5_000, deepObjects],
    ["arrays", 200_000, deepArrays],
  ])("at maxDepth = MAX_DEPTH_LIMIT, %s %i deep are 400 nesting_too_deep", async (_name, depth, nest) => {
    const seen = limit.seen.length;
    expectCleanProblem(await post(limit.port, nest(depth)), { status: 400, code: "nesting_too_deep" });
    expect(limit.seen.length).toBe(seen);
  });

  test.each([
    ["arrays", MAX_DEPTH_LIMIT, deepArrays],
    ["objects (strict parser)", MAX_DEPTH_LIMIT, deepObjects],
    ["arrays", MAX_DEPTH_LIMIT + 1, deepArrays],
    ["objects (strict parser)", 5_000, deepObjects],
  ])("with the default maxDepth, %s %i deep are 400 nesting_too_deep", async (_name, depth, nest) => {
    expectCleanProblem(await post(byDefault.port, nest(depth)), { status: 400, code: "nesting_too_deep" });
    expect(byDefault.seen).toEqual([]);
  });

  test("a receiver with half of Node's default stack still answers a body at the limit (the bound's margin)", async () => {
    // 984 KB is V8's default --stack-size on 64-bit; the parser at MAX_DEPTH_LIMIT needs about a quarter.
    const receiver = fileURLToPath(new URL("./deep-body-receiver.ts", import.meta.url));
    const child: ChildProcess = spawn(process.execPath, ["--stack-size=492", "--import", "tsx", receiver], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await once(child.stdout as NonNullable<typeof child.stdout>, "data")) as [Buffer];
      const { port } = JSON.parse(line.toString("utf8")) as { port: number };
      for (const nest of [deepObjects, deepArrays]) {
        const response = await post(port, nest(MAX_DEPTH_LIMIT));
        expect(response.status, response.body).toBe(200);
      }
      expectCleanProblem(await post(port, deepObjects(MAX_DEPTH_LIMIT + 1)), { status: 400, code: "nesting_too_deep" });
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe("secret length: the longest secret accepted fits in a request Node accepts", () => {
  test("MAX_SECRET_BYTES in the query and in a header at once, with a notification's query: 200", async () => {
    const secret = "k".repeat(MAX_SECRET_BYTES);
    const receiver = await startNodeReceiver({
      secret: { values: secret, queryParameter: "token", header: "x-impact-secret" },
    });
    try {
      const head = requestHead("GET", `/hook?token=${secret}&${q}&${"x".repeat(1024)}=1`, {
        "user-agent": "impact.com event notification",
        accept: "*/*",
        "x-impact-secret": secret,
      });
      const response = await rawRequest(receiver.port, head);
      expect(response.status, response.body).toBe(200);
    } finally {
      await receiver.close();
    }
  });

  test("a secret at the percent-encoded limit arrives in the query: 200", async () => {
    const secret = `${"é".repeat(682)}abcd`;
    const receiver = await startNodeReceiver({ secret: { values: secret, queryParameter: "token" } });
    try {
      const response = await rawRequest(
        receiver.port,
        requestHead("GET", `/?token=${encodeURIComponent(secret)}&${q}`),
      );
      expect(response.status, response.body).toBe(200);
    } finally {
      await receiver.close();
    }
  });

  test("why longer ones are refused at creation: a 16 KiB header never reaches the handler (Node: 431)", async () => {
    const receiver = await startNodeReceiver();
    try {
      const response = await rawRequest(receiver.port, requestHead("GET", `/?${q}`, { "x-s": "k".repeat(16 * 1024) }));
      expect(response.status).toBe(431);
      expect(receiver.seen).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe("a non-ASCII secret in a header is compared as UTF-8 bytes", () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startNodeReceiver({
      secret: { values: ["pässwörd-☃", "pässwörd"], queryParameter: "token", header: "x-impact-secret" },
    });
  });
  afterAll(() => receiver.close());

  const withHeader = (value: Buffer) =>
    sendBytes(
      receiver.port,
      `GET /hook?${q} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nX-Impact-Secret: `,
      value,
      "\r\n\r\n",
    );

  test.each([
    ["UTF-8 bytes of pässwörd-☃", 200, Buffer.from("pässwörd-☃", "utf8")],
    ["UTF-8 bytes of pässwörd", 200, Buffer.from("pässwörd", "utf8")],
    ["Latin-1 bytes of pässwörd", 401, Buffer.from("pässwörd", "latin1")],
    // The UTF-8 bytes, each read as Latin-1 and sent again as UTF-8 (double encoding).
    ["UTF-8 of the mojibake", 401, Buffer.from(Buffer.from("pässwörd", "utf8").toString("latin1"), "utf8")],
    ["UTF-8 bytes of pässwörd-☃, one byte short", 401, Buffer.from("pässwörd-☃", "utf8").subarray(0, -1)],
  ])("%s: %i", async (_name, status, value) => {
    const response = await withHeader(value);
    if (status === 200) expect(response.status, response.body).toBe(200);
    else expectCleanProblem(response, { status, code: "unauthorized" });
  });

  test.each([
    ["percent-encoded UTF-8", `token=${encodeURIComponent("pässwörd-☃")}`, 200],
    ["percent-encoded UTF-8, form style", `token=${new URLSearchParams({ t: "pässwörd-☃" }).toString().slice(2)}`, 200],
    ["percent-encoded Latin-1 is not UTF-8", "token=p%E4ssw%F6rd", 400],
  ])("in the query, %s: %i", async (_name, token, status) => {
    const response = await rawRequest(receiver.port, requestHead("GET", `/hook?${token}&${q}`));
    if (status === 200) expect(response.status, response.body).toBe(200);
    else expectCleanProblem(response, { status, code: "invalid_utf8" });
  });
});

describe("secret in both places: each place that carries a value carries exactly one right value", () => {
  const queries = {
    missing: "",
    right: "token=s3cret&",
    "right (rotation)": "token=old-secret&",
    wrong: "token=wrong&",
    empty: "token=&",
    "repeated right": "token=s3cret&token=s3cret&",
    "repeated wrong": "token=wrong&token=wrong&",
    "right and wrong": "token=s3cret&token=wrong&",
  } as const;
  const headers = {
    missing: [],
    right: ["s3cret"],
    "right (rotation)": ["old-secret"],
    wrong: ["wrong"],
    empty: [""],
    "repeated right": ["s3cret", "s3cret"],
  } as const;
  const fine = new Set(["missing", "right", "right (rotation)"]);

  let both: RunningReceiver;
  let queryOnly: RunningReceiver;
  let headerOnly: RunningReceiver;
  beforeAll(async () => {
    const values = ["old-secret", "s3cret"];
    both = await startNodeReceiver({ secret: { values, queryParameter: "token", header: "x-impact-secret" } });
    queryOnly = await startNodeReceiver({ secret: { values, queryParameter: "token" } });
    headerOnly = await startNodeReceiver({ secret: { values, header: "x-impact-secret" } });
  });
  afterAll(async () => {
    await both.close();
    await queryOnly.close();
    await headerOnly.close();
  });

  const send = (port: number, query: string, header: readonly string[]): Promise<RawResponse> => {
    const lines = header.map((value) => `X-Impact-Secret: ${value}\r\n`).join("");
    return sendBytes(port, `GET /hook?${query}${q} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${lines}\r\n`);
  };
  const expectVerdict = (response: RawResponse, want: boolean | "repeated_parameter") => {
    if (want === true) expect(response.status, response.body).toBe(200);
    else if (want === false) expectCleanProblem(response, { status: 401, code: "unauthorized" });
    else {
      expectCleanProblem(response, { status: 422, code: "invalid_notification" });
      expect(JSON.parse(response.body).issues).toEqual([expect.objectContaining({ path: "/token", code: want })]);
    }
  };

  const table = Object.keys(queries).flatMap((query) =>
    Object.keys(headers).map((header) => [query, header] as [keyof typeof queries, keyof typeof headers]),
  );

  test.each(table)("both configured: query %s × header %s", async (query, header) => {
    const carried = query !== "missing" || header !== "missing";
    const response = await send(both.port, queries[query], headers[header]);
    expectVerdict(response, carried && fine.has(query) && fine.has(header));
  });

  test.each(table)("query only: query %s × header %s (the header is not a place)", async (query, header) => {
    const response = await send(queryOnly.port, queries[query], headers[header]);
    expectVerdict(response, query === "right" || query === "right (rotation)");
  });

  test.each(table)("header only: query %s × header %s (token is just a parameter)", async (query, header) => {
    const response = await send(headerOnly.port, queries[query], headers[header]);
    const right = header === "right" || header === "right (rotation)";
    // Once the secret passed, a repeated `token` is the contract's business, like any repeated parameter.
    expectVerdict(response, right && queries[query].split("token=").length > 2 ? "repeated_parameter" : right);
  });

  test("the secret never reaches the handler", () => {
    for (const { notification } of both.seen) expect(Object.keys(notification as object)).not.toContain("token");
    expect(both.seen.length).toBeGreaterThan(0);
  });
});

describe("ipAllowList behind a trusted proxy: a forged X-Forwarded-For is not an address", () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startNodeReceiver({ ipAllowList: ["10.1.2.0/24"], trustedProxies: ["127.0.0.1"] });
  });
  afterAll(() => receiver.close());

  test.each([
    ["the allowed client", "10.1.2.3", 200],
    ["the allowed client after another hop, spaces around", "198.51.100.1 ,\t 10.1.2.3", 200],
    ["a zone id", "10.1.2.3%evil", 403],
    ["a percent-encoded zone id", "10.1.2.3%25evil", 403],
    ["a zone id after another hop", "203.0.113.9, 10.1.2.3%evil", 403],
    ["a zone id on a trusted proxy's entry", "10.1.2.3, 127.0.0.1%lo", 403],
    ["a port", "10.1.2.3:8080", 403],
    ["an empty last entry", "10.1.2.3,", 403],
    ["a client outside the list", "198.51.100.7", 403],
    ["leading zeros", "010.1.2.3", 403],
  ])("%s (%j): %i", async (_name, forwarded, status) => {
    const seen = receiver.seen.length;
    const response = await rawRequest(receiver.port, requestHead("GET", `/?${q}`, { "x-forwarded-for": forwarded }));
    if (status === 200) {
      expect(response.status, response.body).toBe(200);
      expect(receiver.seen.length).toBe(seen + 1);
    } else {
      expectCleanProblem(response, { status, code: "forbidden" });
      expect(receiver.seen.length).toBe(seen);
    }
  });

  test("without X-Forwarded-For the peer (the proxy, 127.0.0.1) is the client: 403", async () => {
    expectCleanProblem(await rawRequest(receiver.port, requestHead("GET", `/?${q}`)), {
      status: 403,
      code: "forbidden",
    });
  });
});
