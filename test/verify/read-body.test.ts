/**
 * The Fetch body reader (verifyRequest, createFetchHandler): the bytes come back exactly, however
 * the stream cuts them, and a body trickled one byte per chunk costs memory by bytes, not by
 * chunk (measured in a child process with --expose-gc: a Uint8Array per 1-byte chunk costs ~100 B).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { readBody } from "../../src/verify/read-body.js";

const streamOf = (pieces: readonly Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });

describe("readBody", () => {
  test("returns the bytes exactly, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 3000 }), { maxLength: 40 }), async (pieces) => {
        const whole = new Uint8Array(pieces.reduce((n, p) => n + p.byteLength, 0));
        let at = 0;
        for (const p of pieces) {
          whole.set(p, at);
          at += p.byteLength;
        }
        const result = await readBody(streamOf(pieces), 200_000);
        expect(result).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  test("a body one byte over the limit is 413, however it is cut", async () => {
    const pieces = Array.from({ length: 1025 }, () => new Uint8Array([1]));
    expect(await readBody(streamOf(pieces), 1024)).toMatchObject({ ok: false, status: 413 });
  });

  test("a trickled body costs memory by bytes: 50 bodies of 10,000 one-byte chunks", async () => {
    const script = `
      import { readBody } from ${JSON.stringify(join(import.meta.dirname, "../../src/verify/read-body.ts"))};
      const n = 50, bytes = 10000;
      const gc = globalThis.gc;
      gc(); gc();
      const before = process.memoryUsage().heapUsed;
      const waits = [];
      const pending = [];
      const counters = [];
      const sentTotal = () => counters.reduce((t, c) => t + c(), 0);
      for (let i = 0; i < n; i++) {
        let release;
        const hold = new Promise((r) => (release = r));
        let sent = 0;
        // One byte per pull: the stream queues nothing, so what is held is what the reader keeps.
        const stream = new ReadableStream(
          {
            async pull(controller) {
              if (sent < bytes) controller.enqueue(new Uint8Array([sent++ & 255]));
              else {
                await hold; // the body is all there but has not ended: the reader holds what it read
                controller.close();
              }
            },
          },
          { highWaterMark: 0 },
        );
        waits.push(release);
        counters.push(() => sent);
        pending.push(readBody(stream, 64 * 1024));
      }
      while (sentTotal() < n * bytes) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 50));
      gc(); gc();
      const during = process.memoryUsage().heapUsed;
      for (const release of waits) release();
      const results = await Promise.all(pending);
      const ok = results.every((r) => r instanceof Uint8Array && r.byteLength === bytes);
      console.log(JSON.stringify({ ok, perByte: (during - before) / (n * bytes) }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: join(import.meta.dirname, "../.."), timeout: 60_000 },
    );
    const { ok, perByte } = JSON.parse(stdout) as { ok: boolean; perByte: number };
    expect(ok).toBe(true);
    console.log(`heap per trickled body byte: ${perByte.toFixed(2)} B`);
    // One store per body: about 2 bytes per byte received at most (and typed-array buffers are
    // outside the heap); a Uint8Array kept per chunk would be ~100 bytes of heap per byte.
    expect(perByte).toBeLessThan(10);
  }, 90_000);
});
