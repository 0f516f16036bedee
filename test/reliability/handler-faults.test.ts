/**
 * Faults in the user's handler and duplicate deliveries (issue 7), over real HTTP against the
 * Node receiver. impact.com retries anything but a 2xx (facts sheet §5), so a handler that
 * throws, rejects or hangs must produce a 5xx, never a 2xx, and its reason must reach `onError`
 * (the log), not the client. impact.com sends no delivery id (facts §5): duplicates are told
 * apart only by `context.key`, which must be the same for every copy of one notification.
 */
import { afterEach, describe, expect, test } from "vitest";
import type { NotificationContext } from "../../src/handler/handle-notification.js";
import { expectCleanProblem } from "./expect-clean-problem.js";
import { rawRequest, requestHead } from "./raw-http.js";
import { type RunningReceiver, startNodeReceiver } from "./start-node-receiver.js";

const notification = { campaign_id: "10306", action_id: "1000.4636.158133", status: "APPROVED", payout: "5.00" };
const post = (port: number, body: string) =>
  rawRequest(
    port,
    requestHead("POST", "/", { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }),
    {
      body,
    },
  );

let receiver: RunningReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

type Fault = (n: unknown, c: NotificationContext) => unknown;
const faults: [
  string,
  { handler: Fault; timeoutMs?: number; want: { status: number; code: string }; reason: RegExp },
][] = [
  [
    "throws synchronously",
    {
      handler: () => {
        throw new Error("db down (sync)");
      },
      want: { status: 500, code: "handler_failed" },
      reason: /db down \(sync\)/,
    },
  ],
  [
    "rejects",
    {
      handler: async () => {
        throw new Error("db down (async)");
      },
      want: { status: 500, code: "handler_failed" },
      reason: /db down \(async\)/,
    },
  ],
  [
    "throws a non-Error value",
    {
      handler: () => Promise.reject("plain string reason"),
      want: { status: 500, code: "handler_failed" },
      reason: /plain string reason/,
    },
  ],
  [
    "hangs forever",
    {
      handler: () => new Promise(() => undefined),
      timeoutMs: 300,
      want: { status: 503, code: "handler_timeout" },
      reason: /did not settle within 300 ms/,
    },
  ],
];

describe("handler faults → 5xx, logged, never 2xx", () => {
  test.each(faults)("handler %s", async (_name, { handler, timeoutMs, want, reason }) => {
    receiver = await startNodeReceiver(timeoutMs === undefined ? {} : { timeoutMs }, handler);
    const response = await post(receiver.port, JSON.stringify(notification));
    expectCleanProblem(response, want);
    // The reason is logged for the operator but never sent to impact.com.
    expect(receiver.logged).toHaveLength(1);
    expect(String(receiver.logged[0] instanceof Error ? receiver.logged[0].message : receiver.logged[0])).toMatch(
      reason,
    );
    expect(response.body).not.toMatch(reason);
  });

  test("a hung handler's signal is aborted at the timeout, so its own work can stop", async () => {
    let aborted = false;
    receiver = await startNodeReceiver({ timeoutMs: 200 }, (_n, context) => {
      context.signal.addEventListener("abort", () => {
        aborted = true;
      });
      return new Promise(() => undefined);
    });
    const response = await post(receiver.port, JSON.stringify(notification));
    expect(response.status).toBe(503);
    expect(aborted).toBe(true);
  });

  test("the 2xx is sent only after the handler resolves", async () => {
    let resolveHandler: () => void = () => undefined;
    let answered = false;
    receiver = await startNodeReceiver({}, () => new Promise<void>((resolve) => (resolveHandler = resolve)));
    const pending = post(receiver.port, JSON.stringify(notification)).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    resolveHandler();
    expect((await pending).status).toBe(200);
  });
});

describe("many concurrent duplicate deliveries", () => {
  test("every copy reaches the handler once with the same de-duplication key; key order and spacing do not matter", async () => {
    const stored = new Map<string, number>();
    receiver = await startNodeReceiver({}, async (_n, context) => {
      await new Promise((r) => setTimeout(r, 5));
      stored.set(context.key, (stored.get(context.key) ?? 0) + 1);
    });
    const port = receiver.port;
    const copies = 100;
    const variants = [
      JSON.stringify(notification),
      JSON.stringify(Object.fromEntries(Object.entries(notification).reverse())),
      JSON.stringify(notification, null, 2),
    ];
    const responses = await Promise.all(
      Array.from({ length: copies }, (_, i) => post(port, variants[i % variants.length] as string)),
    );
    // Documented outcome: the receiver acknowledges every copy (200) and calls the handler for each;
    // de-duplication is the handler's job, keyed by context.key (src/handler/notification-key.ts).
    expect(responses.map((r) => r.status)).toEqual(Array(copies).fill(200));
    expect(receiver.seen).toHaveLength(copies);
    expect(stored.size).toBe(1);
    expect([...stored.values()]).toEqual([copies]);
    expect([...stored.keys()][0]).toMatch(/^v1:[0-9a-f]{64}$/);
  });

  test("a lifecycle update (different status or payout) gets a different key; a GET of the same values too is stable", async () => {
    receiver = await startNodeReceiver();
    const port = receiver.port;
    await post(port, JSON.stringify(notification));
    await post(port, JSON.stringify({ ...notification, status: "REVERSED", payout: "-5.00" }));
    const query = new URLSearchParams(notification).toString();
    await rawRequest(port, requestHead("GET", `/?${query}`));
    await rawRequest(port, requestHead("GET", `/?${query}`));
    const keys = receiver.seen.map((s) => s.context.key);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe(keys[3]);
  });
});
