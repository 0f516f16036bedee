/**
 * An early refusal reaches the client (issue 23). A receiver that answers 413 (or 401…) before
 * reading the body and then closes at once leaves the client's upload unread in its socket: the
 * kernel answers that with a reset, and most Node clients then report EPIPE or ECONNRESET instead
 * of the answer. With the lingering close the receiver half-closes, discards what still arrives
 * for a bounded time, then closes; the client reads the refusal. Real HTTP on 127.0.0.1, real
 * clients (fetch/undici and node:http), bodies far over the limit with and without
 * Content-Length, against the Node, Express and Fastify adapters. Bounded: TRIES sequential
 * uploads per case, each given up after 10 s.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { LINGER_BYTES, LINGER_MS } from "../../src/adapters/node.js";
import type { ChildAdapter } from "./child-receiver.js";
import { type Client, clients, tally } from "./early-refusal-clients.js";
import { requestHead } from "./raw-http.js";
import { type ChildReceiver, spawnReceiver } from "./spawn-receiver.js";
import { type RunningReceiver, startNodeReceiver } from "./start-node-receiver.js";

const TRIES = 30;
/** 64 times the default 64 KiB limit: with an immediate close, most tries of every client lose the answer. */
const BODY = new Uint8Array(4 * 1024 * 1024).fill(0x20);
const adapters: readonly ChildAdapter[] = ["node", "express", "fastify"];

// Each receiver in its own process: a client sharing the receiver's event loop reads the answer
// before its next write could fail, which hides the reset.
const receivers = {} as Record<ChildAdapter, ChildReceiver>;
beforeAll(async () => {
  for (const adapter of adapters) receivers[adapter] = await spawnReceiver(adapter, { secret: "s3cret" });
});
afterAll(async () => {
  for (const adapter of adapters) {
    if (receivers[adapter] === undefined) continue;
    expect((await receivers[adapter].measure()).accepted, "no refused upload reached the handler").toBe(0);
    receivers[adapter].stop();
  }
});

const cases: [adapter: ChildAdapter, client: Client][] = [];
for (const adapter of adapters) for (const client of clients) cases.push([adapter, client]);

describe(`a ${BODY.byteLength}-byte upload refused early: the client reads the refusal (${TRIES} tries)`, () => {
  test.each(cases)("%s, %s: 413 payload_too_large", async (adapter, client) => {
    const seen = await tally(client, `http://127.0.0.1:${receivers[adapter].port}/?token=s3cret`, BODY, TRIES);
    console.info(`413 ${adapter}, ${client}:`, JSON.stringify(seen));
    expect(seen["413 payload_too_large"] ?? 0).toBeGreaterThanOrEqual(TRIES - 1);
  });

  test.each(cases)("%s, %s: 401 unauthorized (refused before the body too)", async (adapter, client) => {
    const seen = await tally(client, `http://127.0.0.1:${receivers[adapter].port}/?token=wrong`, BODY, TRIES);
    console.info(`401 ${adapter}, ${client}:`, JSON.stringify(seen));
    expect(seen["401 unauthorized"] ?? 0).toBeGreaterThanOrEqual(TRIES - 1);
  });
});

/**
 * A raw client refused from its head (Content-Length far over the limit) that goes on sending:
 * `chunk` bytes every `everyMs` (0: as fast as the socket takes them) until the server closes
 * or `maxBytes` were written, or `endAfterAnswer` half-closes once the answer is read. Resolves
 * with when the answer came, when the connection was closed, and what was written by then.
 */
function uploadAfterRefusal(
  port: number,
  {
    chunk,
    everyMs,
    maxBytes,
    endAfterAnswer = false,
  }: { chunk: number; everyMs: number; maxBytes: number; endAfterAnswer?: boolean },
): Promise<{ answer: string; answeredMs: number; closedMs: number; written: number }> {
  return new Promise((resolve, reject) => {
    // Half-open: the server's FIN (sent with the answer) must not end this side's upload.
    const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
    const start = performance.now();
    const data = Buffer.alloc(chunk, 0x20);
    let received = "";
    let answeredMs = -1;
    let written = 0;
    let closed = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error("the server did not close within 10 s"));
    }, 10_000);
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer: received.split("\r\n")[0] ?? "", answeredMs, closedMs: performance.now() - start, written });
    };
    socket.on("data", (d: Buffer) => {
      received += d.toString("latin1");
      if (answeredMs < 0 && received.includes("\r\n\r\n")) {
        answeredMs = performance.now() - start;
        if (endAfterAnswer) socket.end();
      }
    });
    // A reset on write, or the server's close: either way the connection is over.
    socket.on("error", finish);
    socket.on("close", finish);
    const pump = async () => {
      while (!closed && !socket.destroyed && socket.writable && written < maxBytes) {
        written += chunk;
        const more = socket.write(data);
        if (everyMs > 0) await new Promise((r) => setTimeout(r, everyMs));
        else if (!more) await new Promise((r) => socket.once("drain", r));
      }
    };
    socket.on("connect", () => {
      socket.write(requestHead("POST", "/", { "content-type": "application/json", "content-length": String(1e12) }));
      void pump();
    });
  });
}

describe("the lingering close is bounded", () => {
  let receiver: RunningReceiver;
  beforeAll(async () => {
    receiver = await startNodeReceiver();
  });
  afterAll(() => receiver.close());

  test(`in time: a client still trickling is cut off after about ${LINGER_MS} ms`, async () => {
    const result = await uploadAfterRefusal(receiver.port, { chunk: 100, everyMs: 50, maxBytes: 1e6 });
    expect(result.answer).toBe("HTTP/1.1 413 Payload Too Large");
    // Lingered (closing at once is the reset this prevents), and not for long.
    expect(result.closedMs - result.answeredMs).toBeGreaterThan(LINGER_MS - 500);
    expect(result.closedMs - result.answeredMs).toBeLessThan(LINGER_MS + 1000);
  });

  test(`in bytes: a client flooding is cut off after about ${LINGER_BYTES} bytes, before the time limit`, async () => {
    const result = await uploadAfterRefusal(receiver.port, {
      chunk: 64 * 1024,
      everyMs: 0,
      maxBytes: 8 * LINGER_BYTES,
    });
    expect(result.answer).toBe("HTTP/1.1 413 Payload Too Large");
    expect(result.written).toBeGreaterThan(LINGER_BYTES);
    // Socket buffers let the client get a few MiB ahead of what the server read.
    expect(result.written).toBeLessThan(2 * LINGER_BYTES);
    expect(result.closedMs).toBeLessThan(LINGER_MS);
  });

  test("a client that stops sending (half-closes) after the answer is let go at once", async () => {
    const result = await uploadAfterRefusal(receiver.port, {
      chunk: 100,
      everyMs: 50,
      maxBytes: 1e6,
      endAfterAnswer: true,
    });
    expect(result.answer).toBe("HTTP/1.1 413 Payload Too Large");
    expect(result.closedMs - result.answeredMs).toBeLessThan(500);
  });
});
