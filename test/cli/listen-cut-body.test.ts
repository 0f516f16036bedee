/**
 * A request whose body Node cuts short is answered by Node itself (408 past requestTimeout, 413 for
 * an oversized chunk extension, 400 for a malformed chunk), raw, on a connection it then closes.
 * `listen` logs that answer, not the verdict on the unfinished body that no client ever received.
 * Real sockets on 127.0.0.1 to `listen` from source. The 408 past requestTimeout (15 s) is in
 * test/reliability/listen-timeouts.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, requestHead } from "../reliability/raw-http.js";
import { type RunningCli, startListen } from "./cli-process.js";

const HEAD = requestHead("POST", "/notifications", {
  "Content-Type": "application/json",
  "Transfer-Encoding": "chunked",
});

const cases: [string, { body: string; status: number; statusLine: string; cause: string }][] = [
  [
    "a chunk extension over Node's 16 KiB",
    {
      body: `1;${"a".repeat(20_000)}\r\n{\r\n`,
      status: 413,
      statusLine: "413 Payload Too Large",
      cause: "HPE_CHUNK_EXTENSIONS_OVERFLOW",
    },
  ],
  [
    "a chunk size that is not hex",
    {
      body: '5\r\n{"a":\r\nzz\r\n',
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

  it.each(cases)("%s", async (_name, { body, status, statusLine, cause }) => {
    const before = listen.stdout().length;
    const answer = await rawRequest(Number(new URL(listen.url).port), HEAD, { body });
    expect(answer.status).toBe(status);
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
