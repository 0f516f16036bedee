/**
 * `Expect: 100-continue` (RFC 9110 §10.1.1) over a raw socket: a request refused from its head
 * must be answered before `100 Continue`, so the client never sends a body nobody will read.
 * Node sends `100 Continue` itself, before the request listener runs, unless the server has a
 * 'checkContinue' listener: `createNodeHandler(...).checkContinue` is that listener.
 */
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, test } from "vitest";
import { createNodeHandler } from "../../src/adapters/node.js";
import { DEFAULT_MAX_BODY_BYTES } from "../../src/verify/options.js";
import { listenLocal } from "../helpers/http.js";
import { expectCleanProblem } from "./expect-clean-problem.js";
import { rawRequest, requestHead } from "./raw-http.js";

const json = { "content-type": "application/json" };
const body = '{"payout":"5.00"}';
let server: Server | undefined;
let accepted = 0;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  accepted = 0;
});

async function start(wired: boolean): Promise<number> {
  const handler = createNodeHandler(
    () => {
      accepted++;
    },
    { secret: { values: ["s3cret"], queryParameter: "token" } },
  );
  server = createServer(handler);
  if (wired) server.on("checkContinue", handler.checkContinue);
  return Number(new URL(await listenLocal(server)).port);
}

/**
 * Sends the head, waits (at most 2 s) for the first answer, sends `body` only if it was
 * `100 Continue`, and returns everything received until the final answer is complete or 5 s passed.
 */
function expectContinue(port: number, head: string, body: string): Promise<{ first: string; all: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let all = "";
    let first: string | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ first: first ?? all, all });
    };
    const timer = setTimeout(finish, 5000);
    const noAnswer = setTimeout(() => reject(new Error("no answer to the head within 2 s")), 2000);
    socket.on("error", () => undefined);
    socket.on("close", finish);
    socket.on("data", (d: Buffer) => {
      all += d.toString("latin1");
      if (first === undefined && all.includes("\r\n\r\n")) {
        clearTimeout(noAnswer);
        first = all.slice(0, all.indexOf("\r\n\r\n"));
        if (first.startsWith("HTTP/1.1 100 ")) socket.write(body);
      }
      const final = all.replace(/^HTTP\/1\.1 100 [^\r]*\r\n\r\n/, "");
      const end = final.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(final)?.[1];
      if (end !== -1 && length !== undefined && final.length >= end + 4 + Number(length)) finish();
    });
    socket.on("connect", () => socket.write(head));
  });
}

const over = String(DEFAULT_MAX_BODY_BYTES + 1);

describe("Expect: 100-continue with the checkContinue listener wired", () => {
  test("a Content-Length over the limit is answered 413 before any 100 Continue, and no body is asked for", async () => {
    const port = await start(true);
    const response = await rawRequest(
      port,
      requestHead("POST", "/?token=s3cret", { ...json, expect: "100-continue", "content-length": over }),
    );
    expect(response.bytesSent).toBe(0);
    // The first (and only) answer is the final one: rawRequest parses the first head it gets.
    expectCleanProblem(response, { status: 413, code: "payload_too_large" });
    expect(response.headers.connection).toBe("close");
  });

  test("a wrong secret is answered 401 before any 100 Continue", async () => {
    const port = await start(true);
    const { first } = await expectContinue(
      port,
      requestHead("POST", "/?token=wrong", { ...json, expect: "100-continue", "content-length": "17" }),
      body,
    );
    expect(first).toMatch(/^HTTP\/1\.1 401 /);
  });

  test("a request whose head passes gets 100 Continue, then its body is read and accepted", async () => {
    const port = await start(true);
    const { first, all } = await expectContinue(
      port,
      requestHead("POST", "/?token=s3cret", { ...json, expect: "100-continue", "content-length": "17" }),
      body,
    );
    expect(first).toBe("HTTP/1.1 100 Continue");
    expect(all).toMatch(/\r\n\r\nHTTP\/1\.1 200 /);
    expect(accepted).toBe(1);
  });

  test("a GET with Expect is answered without 100 Continue (it has no body to ask for)", async () => {
    const port = await start(true);
    const { first } = await expectContinue(
      port,
      requestHead("GET", "/?token=s3cret&payout=5.00", { expect: "100-continue" }),
      "",
    );
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
  });
});

test("without the listener Node itself sends 100 Continue first: the client uploads before the 413", async () => {
  const port = await start(false);
  const { first, all } = await expectContinue(
    port,
    requestHead("POST", "/?token=s3cret", { ...json, expect: "100-continue", "content-length": over }),
    "",
  );
  expect(first).toBe("HTTP/1.1 100 Continue");
  expect(all).toMatch(/\r\n\r\nHTTP\/1\.1 413 /);
});
