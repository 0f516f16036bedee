/**
 * A trickled body costs memory per byte, not per chunk (issue 23). The attack: many connections
 * each declare a body under the limit (or send it chunked) and deliver it one byte per TCP
 * segment, so the receiver gets thousands of tiny chunks per connection. Held as a Buffer each,
 * every body byte costs ~190 B of heap and ~450 B of RSS: 16 connections exhaust a 128 MB heap in
 * under a minute. Scaled here to seconds: the receiver runs in a child process
 * with a small heap (`--max-old-space-size`), the parent trickles, and the child reports its
 * memory after a forced GC. Bounded: each mode trickles for TRICKLE_MS, then finishes the bodies.
 */
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { DEFAULT_MAX_BODY_BYTES } from "../../src/verify/options.js";
import type { MemoryReport } from "./child-receiver.js";
import { type ChildReceiver, spawnReceiver } from "./spawn-receiver.js";

const CONNECTIONS = 48;
/** Declared body size: just under the default 64 KiB limit, as in the attack. */
const BODY = DEFAULT_MAX_BODY_BYTES - 1536;
const TRICKLE_MS = 3000;
const HEAP_MB = 32;

let receiver: ChildReceiver | undefined;
afterEach(() => {
  receiver?.stop();
  receiver = undefined;
});

/** A valid JSON notification of exactly `size` bytes. */
function bodyOfSize(size: number): Buffer {
  const head = '{"payout":"5.00","note":"';
  const tail = '"}';
  return Buffer.from(head + "x".repeat(size - head.length - tail.length) + tail);
}

/** Opens a connection, sends the head, and collects whatever the server answers. */
function open(port: number, head: string): Promise<{ socket: Socket; received: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let received = "";
    socket.setNoDelay(true);
    socket.on("data", (d: Buffer) => {
      received += d.toString("latin1");
    });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.write(head);
      resolve({ socket, received: () => received });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await sleep(20);
}

/** Growth between two reports, per connection and per body byte the receiver held. */
function growth(before: MemoryReport, after: MemoryReport, bytesPerConnection: number) {
  const per = (key: "heapUsed" | "arrayBuffers" | "rss") => {
    const total = after[key] - before[key];
    return { perConnection: Math.round(total / CONNECTIONS), perByte: total / (CONNECTIONS * bytesPerConnection) };
  };
  return { heap: per("heapUsed"), arrayBuffers: per("arrayBuffers"), rss: per("rss") };
}

describe("a trickled body (1 byte per segment) is held in memory bounded by its bytes", () => {
  for (const mode of ["content-length", "chunked"] as const) {
    test(`${CONNECTIONS} connections, ${mode}, ${BODY}-byte bodies, ${TRICKLE_MS} ms of trickling`, async () => {
      const child = await spawnReceiver("node", { nodeFlags: [`--max-old-space-size=${HEAP_MB}`, "--expose-gc"] });
      receiver = child;
      const body = bodyOfSize(BODY);
      const framing =
        mode === "chunked" ? "Transfer-Encoding: chunked\r\n" : `Content-Length: ${String(body.byteLength)}\r\n`;
      const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n`;
      const piece = (from: number, to: number) => {
        const data = body.subarray(from, to);
        if (mode === "content-length") return data;
        return Buffer.concat([Buffer.from(`${data.byteLength.toString(16)}\r\n`), data, Buffer.from("\r\n")]);
      };

      const baseline = await child.measure();
      const connections = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(child.port, head)));
      // One body byte per connection per tick, each its own segment (no Nagle), until the deadline.
      let sent = 0;
      const deadline = Date.now() + TRICKLE_MS;
      while (Date.now() < deadline && sent < BODY - 1) {
        for (const { socket } of connections) socket.write(piece(sent, sent + 1));
        sent++;
        await sleep(1);
      }
      // Let the receiver take in what is in flight before it measures.
      await sleep(300);
      const loaded = await child.measure();
      const figures = growth(baseline, loaded, sent);
      console.info(`trickle ${mode}: ${sent} bytes/connection, growth`, JSON.stringify(figures));

      expect(child.alive()).toBe(true);
      // Per connection: Node's own connection state (a few KiB) plus the bytes held, never a
      // Buffer object per byte received.
      expect(figures.heap.perConnection).toBeLessThan(48 * 1024);
      expect(figures.arrayBuffers.perConnection).toBeLessThan(2 * sent + 8 * 1024);
      expect(figures.rss.perConnection).toBeLessThan(512 * 1024);

      // The rest of each body at once: every trickled notification is still accepted whole.
      for (const { socket } of connections) {
        socket.write(
          mode === "chunked" ? Buffer.concat([piece(sent, BODY), Buffer.from("0\r\n\r\n")]) : piece(sent, BODY),
        );
      }
      await until(() => connections.every((c) => c.received().includes("\r\n\r\n{")), 10_000);
      for (const c of connections) {
        expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
        c.socket.destroy();
      }
      expect((await child.measure()).accepted).toBe(CONNECTIONS);
    });
  }
});
