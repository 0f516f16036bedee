/**
 * `listen` bounds how long a client may hold a connection (SERVER_LIMITS in listen.ts), measured
 * over real TCP against the CLI as a user runs it: a client that sends nothing, one that trickles
 * its head, one that trickles its body, an idle keep-alive connection after its answer, and one
 * that pipelines requests but never reads the answers. Each is closed within its configured
 * limit (plus Node's checking interval and some slack for a loaded machine), never before it, and
 * far sooner than Node's defaults would (60 s / 300 s, checked every 30 s, and never for the last).
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { SERVER_LIMITS } from "../../src/cli/commands/listen.js";
import { type RunningCli, startListen } from "../cli/cli-process.js";

/** Scheduling slack on a loaded machine, on top of the checking interval. */
const SLACK_MS = 1_500;
/** Node 20.20+ and 24 keep an idle keep-alive socket this much past keepAliveTimeout (a grace). */
const KEEP_ALIVE_GRACE_MS = 1_000;
const { headersTimeout, requestTimeout, keepAliveTimeout, connectionsCheckingInterval, stalledTimeout } = SERVER_LIMITS;
const NODE_DEFAULT = { headersTimeout: 60_000, requestTimeout: 300_000 };
/** How long a test waits for a close at most: past every limit above, within the test's timeout. */
const BOUND_MS = 25_000;

const HEAD = "POST /notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
const GET = "GET /notifications?payout=1.00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

interface Held {
  readonly socket: Socket;
  /** Everything the server sent. */
  received(): string;
  /**
   * Resolves with the milliseconds from the connection to its close by the server, or with
   * Infinity (and the connection dropped) if it is still open after `boundMs`.
   */
  closed(boundMs: number): Promise<number>;
}

/** A connection to `port` that writes `first` once connected and `trickle` every 500 ms after. */
async function hold(port: number, first: string, trickle?: string): Promise<Held> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  const opened = performance.now();
  let received = "";
  socket.on("data", (d: Buffer) => {
    received += d.toString("latin1");
  });
  socket.on("error", () => undefined);
  const timer = trickle === undefined ? undefined : setInterval(() => socket.write(trickle), 500);
  const closed = new Promise<number>((resolve) =>
    socket.once("close", () => {
      clearInterval(timer);
      resolve(performance.now() - opened);
    }),
  );
  socket.write(first);
  return {
    socket,
    received: () => received,
    closed: (boundMs) => {
      const bound = setTimeout(() => {
        socket.destroy();
      }, boundMs);
      return closed.then((ms) => {
        clearTimeout(bound);
        return ms > boundMs ? Number.POSITIVE_INFINITY : ms;
      });
    },
  };
}

/**
 * The client side's TCP state of `socket` in /proc/net/tcp: "01" established, "08" close-wait
 * (the server closed), undefined once gone (the server reset it). Read from the kernel because a
 * socket that does not read sees neither the server's FIN nor, at once, its reset.
 */
function tcpState(localPort: number): string | undefined {
  const hex = `:${localPort.toString(16).toUpperCase().padStart(4, "0")}`;
  const line = readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .find((l) => l.trim().split(/\s+/)[1]?.endsWith(hex));
  return line?.trim().split(/\s+/)[3];
}

let listen: RunningCli & { url: string };
/** A second receiver for the pipelining client, whose thousands of requests would slow the first. */
let flood: RunningCli & { url: string };
let port = 0;

beforeAll(async () => {
  [listen, flood] = await Promise.all([startListen(), startListen()]);
  port = Number(new URL(listen.url).port);
});

afterAll(async () => {
  await Promise.all([listen?.stop(), flood?.stop()]);
});

describe.concurrent("listen closes connections that hold it", () => {
  test("a client that connects and sends nothing: 408 and closed after headersTimeout", async () => {
    const held = await hold(port, "");
    const ms = await held.closed(BOUND_MS);
    expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(headersTimeout - 100);
    expect(ms).toBeLessThan(headersTimeout + connectionsCheckingInterval + SLACK_MS);
    expect(ms).toBeLessThan(NODE_DEFAULT.headersTimeout);
  });

  test("a head trickled a byte every 500 ms: 408 and closed after headersTimeout", async () => {
    const held = await hold(port, `${HEAD}X-Slow: `, "a");
    const ms = await held.closed(BOUND_MS);
    expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(headersTimeout - 100);
    expect(ms).toBeLessThan(headersTimeout + connectionsCheckingInterval + SLACK_MS);
  });

  test("a body trickled a byte every 500 ms: 408 and closed after requestTimeout", async () => {
    const held = await hold(port, `${HEAD}Content-Length: 1000\r\n\r\n `, " ");
    const ms = await held.closed(BOUND_MS);
    expect(held.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(requestTimeout - 100);
    expect(ms).toBeLessThan(requestTimeout + connectionsCheckingInterval + SLACK_MS);
    expect(ms).toBeLessThan(NODE_DEFAULT.requestTimeout);
    // The log says what the client got, not the verdict on the unfinished body (400 body_unreadable).
    await listen.waitFor(
      /✖ rejected 408 POST \/notifications Node answered 408 Request Timeout and closed the connection \(ERR_HTTP_REQUEST_TIMEOUT\)/,
      5_000,
    );
    expect(listen.stdout()).not.toMatch(/rejected 400 POST \/notifications body_unreadable/);
  });

  test("an idle keep-alive connection after its answer: closed after keepAliveTimeout, as its Keep-Alive header says", async () => {
    const held = await hold(port, GET);
    const answered = await new Promise<number>((resolve) => {
      const start = performance.now();
      const poll = setInterval(() => {
        if (held.received().includes('{"ok":true}')) {
          clearInterval(poll);
          resolve(performance.now() - start);
        }
      }, 5);
    });
    const ms = (await held.closed(BOUND_MS)) - answered;
    expect(held.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(held.received()).toContain(`Keep-Alive: timeout=${keepAliveTimeout / 1000}`);
    expect(ms).toBeGreaterThanOrEqual(keepAliveTimeout - 100);
    expect(ms).toBeLessThan(keepAliveTimeout + KEEP_ALIVE_GRACE_MS + SLACK_MS);
  });

  test("a client that pipelines requests and never reads the answers: closed stalledTimeout after the last answer", {
    timeout: 60_000,
  }, async () => {
    const floodPort = Number(new URL(flood.url).port);
    const socket = connect({ host: "127.0.0.1", port: floodPort });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    socket.on("error", () => undefined);
    socket.pause();
    const localPort = socket.localPort as number;

    // Answers counted as listen prints them; the stdout string only grows.
    const NEEDLE = "✔ accepted";
    let scanned = 0;
    let answered = 0;
    const count = () => {
      const out = flood.stdout();
      for (let i = out.indexOf(NEEDLE, scanned); i !== -1; i = out.indexOf(NEEDLE, scanned)) {
        answered++;
        scanned = i + NEEDLE.length;
      }
      scanned = Math.max(scanned, out.length - NEEDLE.length + 1);
      return answered;
    };
    // Whole requests in each write, the next only once listen answered them all, so the server
    // never holds half a request (which headersTimeout would close): once the answers back up
    // to the client, Node stops reading, between two requests.
    const BATCH = 400;
    let sent = 0;
    let progressAt = performance.now();
    const deadline = progressAt + 20_000;
    while (answered === sent && performance.now() < deadline) {
      socket.write(GET.repeat(BATCH));
      sent += BATCH;
      let last = count();
      while (count() < sent && performance.now() - progressAt < 1_000) {
        if (answered > last) {
          last = answered;
          progressAt = performance.now();
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      if (answered > last) progressAt = performance.now();
    }
    expect(answered, "the answers never backed up").toBeLessThan(sent);
    const stalledAt = progressAt;

    // Closed by the server: reset (gone) or FIN received (close-wait), while this side still reads nothing.
    let closedAt: number | undefined;
    const limit = stalledAt + 2 * stalledTimeout + SLACK_MS + 5_000;
    while (performance.now() < limit) {
      if (tcpState(localPort) !== "01") {
        closedAt = performance.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    socket.destroy();
    expect(closedAt, `still open ${Math.round(performance.now() - stalledAt)} ms after the last answer`).toBeDefined();
    // Node suppresses the first expiry while the stuck write's queue size changed since the last
    // write: the socket times out on the first or the second.
    const ms = (closedAt as number) - stalledAt;
    expect(ms).toBeGreaterThanOrEqual(stalledTimeout - 500);
    expect(ms).toBeLessThan(2 * stalledTimeout + SLACK_MS);
  });
});
