/**
 * A request whose body Node cuts short is answered by Node itself (408 past requestTimeout, 413 for
 * an oversized chunk extension, 400 for a malformed chunk), raw, on a connection it then closes.
 * `listen` logs that answer, not the verdict on the unfinished body that no client ever received.
 * Real sockets on 127.0.0.1 to `listen` from source. The 408 past requestTimeout (15 s) is in
 * test/reliability/listen-timeouts.test.ts.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startListen } from "./cli-process.js";

const HEAD =
  "POST /notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

/** Writes `parts` to a fresh connection, `gapMs` apart; resolves with every byte received once it closes. */
function exchange(base: string, parts: readonly string[], gapMs = 100): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; received ${JSON.stringify(received)}`));
    }, 10_000);
    socket.on("data", (c: Buffer) => {
      received += c.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
    void (async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        await new Promise((r) => setTimeout(r, gapMs));
      }
    })();
  });
}

const cases: [string, { parts: string[]; status: number; statusLine: string; cause: string }][] = [
  [
    "a chunk extension over Node's 16 KiB",
    {
      parts: [HEAD, `1;${"a".repeat(20_000)}\r\n{\r\n`],
      status: 413,
      statusLine: "413 Payload Too Large",
      cause: "HPE_CHUNK_EXTENSIONS_OVERFLOW",
    },
  ],
  [
    "a chunk size that is not hex",
    {
      parts: [HEAD, '5\r\n{"a":\r\nzz\r\n'],
      status: 400,
      statusLine: "400 Bad Request",
      cause: "HPE_INVALID_CHUNK_SIZE",
    },
  ],
];

describe("listen logs the answer Node gave a request whose body it cut short", () => {
  let listen: RunningCli & { url: string };
  beforeAll(async () => {
    listen = await startListen(["--json", "--no-inbox"]);
  });
  afterAll(async () => {
    await listen.stop();
  });

  it.each(cases)("%s", async (_name, { parts, status, statusLine, cause }) => {
    const before = listen.stdout().length;
    const received = await exchange(listen.url, parts);
    expect(received).toMatch(new RegExp(`^HTTP/1\\.1 ${statusLine}\\r\\n`));
    await listen.waitFor(new RegExp(`"status":${status},"accepted":false`));
    const logged = listen
      .stdout()
      .slice(before)
      .split("\n")
      .filter((l) => l.includes('"event":"request"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/notifications",
        status,
        accepted: false,
        code: "answered_by_node",
        detail: `Node answered ${statusLine} and closed the connection (${cause})`,
      }),
    ]);
  });
});
