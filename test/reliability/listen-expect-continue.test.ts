/**
 * `listen` answers `Expect: 100-continue` (RFC 9110 §10.1.1) the way the Node adapter's
 * 'checkContinue' wiring does, over a raw socket against the CLI as a user runs it: a request
 * refused from its head is answered before any `100 Continue`, so its body is never uploaded;
 * one whose head passes gets `100 Continue`, then its body is read and verified.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEFAULT_MAX_BODY_BYTES } from "../../src/verify/options.js";
import { type RunningCli, startListen } from "../cli/cli-process.js";
import { rawRequest, requestHead } from "./raw-http.js";

const json = { "content-type": "application/json" };
const body = JSON.stringify({ campaign_id: "10306", status: "APPROVED", payout: "5.00" });

/**
 * Sends the head, sends `body` only once `100 Continue` came, and resolves with every head
 * received (bounded: 5 s) once a final answer is complete or the server closed.
 */
function expectContinue(port: number, head: string, payload: string): Promise<string[]> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let all = "";
    const heads = () => all.split(/\r\n\r\n/).filter((part) => /^HTTP\/1\.1 \d{3} /.test(part));
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(heads().map((h) => h.split("\r\n")[0] as string));
    };
    const timer = setTimeout(finish, 5_000);
    let continued = false;
    socket.on("error", () => undefined);
    socket.on("close", finish);
    socket.on("data", (d: Buffer) => {
      all += d.toString("latin1");
      if (!continued && all.startsWith("HTTP/1.1 100 ") && all.includes("\r\n\r\n")) {
        continued = true;
        socket.write(payload);
      }
      const final = all.replace(/^HTTP\/1\.1 100 [^\r]*\r\n\r\n/, "");
      const end = final.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(final)?.[1];
      if (end !== -1 && length !== undefined && final.length >= end + 4 + Number(length)) finish();
    });
    socket.on("connect", () => socket.write(head));
  });
}

let listen: RunningCli & { url: string };
let port = 0;

beforeAll(async () => {
  listen = await startListen(["--secret", "s3cret"]);
  port = Number(new URL(listen.url).port);
});

afterAll(async () => {
  await listen?.stop();
});

describe("listen and Expect: 100-continue", () => {
  test("a Content-Length over the limit is answered 413 before any 100 Continue; no body byte is sent", async () => {
    const response = await rawRequest(
      port,
      requestHead("POST", "/notifications?secret=s3cret", {
        ...json,
        expect: "100-continue",
        "content-length": String(DEFAULT_MAX_BODY_BYTES + 1),
      }),
    );
    // rawRequest reads the first head it gets: a 100 Continue would be the one it reports.
    expect(response.status).toBe(413);
    expect(response.bytesSent).toBe(0);
    expect(response.headers.connection).toBe("close");
  });

  test("a wrong secret is answered 401 before any 100 Continue", async () => {
    const heads = await expectContinue(
      port,
      requestHead("POST", "/notifications?secret=wrong", {
        ...json,
        expect: "100-continue",
        "content-length": String(body.length),
      }),
      body,
    );
    expect(heads).toEqual([expect.stringMatching(/^HTTP\/1\.1 401 /)]);
  });

  test("a path that is no route is answered 404 before any 100 Continue", async () => {
    const heads = await expectContinue(
      port,
      requestHead("POST", "/elsewhere?secret=s3cret", {
        ...json,
        expect: "100-continue",
        "content-length": String(body.length),
      }),
      body,
    );
    expect(heads).toEqual([expect.stringMatching(/^HTTP\/1\.1 404 /)]);
  });

  test("a head that passes gets 100 Continue, then its body is read and accepted", async () => {
    const heads = await expectContinue(
      port,
      requestHead("POST", "/notifications?secret=s3cret", {
        ...json,
        expect: "100-continue",
        "content-length": String(body.length),
      }),
      body,
    );
    expect(heads).toEqual(["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"]);
    await listen.waitFor(/✔ accepted POST \/notifications campaign_id=10306/, 5_000);
  });
});
