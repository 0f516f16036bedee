/**
 * Pipelined requests (RFC 9112 §9.3) over a raw socket, against createNodeHandler (with its
 * clientError listener) and the CLI's `listen`. A notification may be handled only if its answer
 * can still be sent: a request pipelined behind an answer that closes the connection must never
 * reach the handler (its answer would be lost and impact.com would deliver it again), and bytes
 * sent after `Connection: close` must not cost the answer of the request before them.
 */
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { createNodeHandler } from "../../src/adapters/node.js";
import { type RunningCli, startListen } from "../cli/cli-process.js";
import { listenLocal } from "../helpers/http.js";

const valid = (i: number) => `/impact?token=s3cret&action_id=1000.1.${i}&status=APPROVED&payout=5.00`;
const get = (target: string, extra = "") => `GET ${target} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

/** Writes `bytes` in one segment, then collects everything until the server closes (or 3 s pass). */
function exchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let data = "";
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on("data", (d: Buffer) => {
      data += d.toString("latin1");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(data);
    });
    socket.on("connect", () => socket.write(bytes));
  });
}

const statuses = (answer: string) => [...answer.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));

describe("createNodeHandler", () => {
  let server: Server | undefined;
  let handled: string[] = [];
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    handled = [];
  });

  async function start(): Promise<number> {
    const handler = createNodeHandler(
      async (n: { action_id?: string }) => {
        handled.push(n.action_id ?? "");
        await new Promise((r) => setTimeout(r, 30));
      },
      { secret: { values: "s3cret", queryParameter: "token" } },
    );
    server = createServer(handler).on("clientError", handler.clientError);
    return Number(new URL(await listenLocal(server)).port);
  }

  test("keep-alive: pipelined notifications are each handled and answered, in order", async () => {
    const port = await start();
    const answer = await exchange(port, get(valid(1)) + get(valid(2)) + get(valid(3), "Connection: close\r\n"));
    expect(statuses(answer)).toEqual([200, 200, 200]);
    expect(handled).toEqual(["1000.1.1", "1000.1.2", "1000.1.3"]);
  });

  test("bytes after a request with Connection: close: its answer still arrives, nothing more is handled", async () => {
    const port = await start();
    const answer = await exchange(port, get(valid(1), "Connection: close\r\n") + get(valid(2)));
    expect(statuses(answer)).toEqual([200]);
    expect(handled).toEqual(["1000.1.1"]);
  });

  test("behind an answer that closes the connection (401 before a body), a pipelined notification is never handled", async () => {
    const port = await start();
    const body = '{"action_id":"1000.1.9"}';
    const refused = `POST /impact?token=wrong HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await exchange(port, refused + get(valid(2)));
    expect(statuses(answer)).toEqual([401]);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(handled).toEqual([]);
  });

  test("a GET refused from its query keeps the connection: the next pipelined notification is handled", async () => {
    const port = await start();
    const answer = await exchange(port, get(valid(1).replace("5.00", "5,00")) + get(valid(2), "Connection: close\r\n"));
    expect(statuses(answer)).toEqual([422, 200]);
    expect(handled).toEqual(["1000.1.2"]);
  });
});

describe("listen", () => {
  let listen: (RunningCli & { url: string }) | undefined;
  afterAll(async () => {
    await listen?.stop();
  });

  test("the same: a notification behind a closing answer is never handled, and one after Connection: close not either", async () => {
    listen = await startListen(["--no-inbox", "--path", "/impact", "--secret", "s3cret", "--secret-param", "token"]);
    const port = Number(new URL(listen.url).port);
    const body = '{"action_id":"1000.1.9"}';
    const refused = `POST /impact?token=wrong HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    expect(statuses(await exchange(port, refused + get(valid(2))))).toEqual([401]);
    expect(statuses(await exchange(port, get(valid(3), "Connection: close\r\n") + get(valid(4))))).toEqual([200]);
    expect(statuses(await exchange(port, get(valid(5)) + get(valid(6), "Connection: close\r\n")))).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 200));
    const accepted = [...listen.stdout().matchAll(/accepted GET \/impact .*?action_id=(\S+)/g)].map((m) => m[1]);
    expect(accepted).toEqual(["1000.1.3", "1000.1.5", "1000.1.6"]);
  });
});
