/**
 * A client that goes away mid-handler (issue 23): `context.signal` must abort, with a reason that
 * says so, so work the handler passed the signal to stops; nothing is answered (no one is
 * listening, and the delivery stays unacknowledged, so impact.com retries it). Over real HTTP on
 * 127.0.0.1 against every Node-stream adapter and the Fetch adapter on @hono/node-server, which
 * aborts the Request's own signal on a disconnect. Bounded: every wait gives up after 5 s.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { serve } from "@hono/node-server";
import express from "express";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, test } from "vitest";
import { createExpressHandler } from "../../src/adapters/express.js";
import { eventNotificationsPlugin } from "../../src/adapters/fastify.js";
import { createFetchHandler } from "../../src/adapters/fetch.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import type { NotificationContext, OnNotification } from "../../src/handler/handle-notification.js";
import { listenLocal } from "../helpers/http.js";

const body = '{"payout":"5.00"}';
const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;

type Start = (
  onNotification: OnNotification,
  onError: (error: unknown) => void,
) => Promise<{ port: number; close(): Promise<unknown> }>;

async function nodeServer(server: Server, listening = false) {
  const port = listening ? (server.address() as AddressInfo).port : Number(new URL(await listenLocal(server)).port);
  return {
    port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Every response the server wrote, so a test can check that nothing was sent after the disconnect. */
const responses: ServerResponse[] = [];
const recording =
  (listener: (req: IncomingMessage, res: ServerResponse) => void) => (req: IncomingMessage, res: ServerResponse) => {
    responses.push(res);
    listener(req, res);
  };

const adapters: [string, Start][] = [
  [
    "node:http",
    (onNotification, onError) =>
      nodeServer(createServer(recording(createNodeHandler(onNotification, { timeoutMs: 5000, onError })))),
  ],
  [
    "express 5",
    (onNotification, onError) => {
      const app = express();
      app.post("/", createExpressHandler(onNotification, { timeoutMs: 5000, onError }));
      return nodeServer(createServer(recording(app)));
    },
  ],
  [
    "fastify 5",
    async (onNotification, onError) => {
      const app: FastifyInstance = Fastify();
      app.addHook("onRequest", async (_request, reply) => {
        responses.push(reply.raw);
      });
      await app.register(eventNotificationsPlugin, { onNotification, timeoutMs: 5000, onError });
      const url = await app.listen({ port: 0, host: "127.0.0.1" });
      return { port: Number(new URL(url).port), close: () => app.close() };
    },
  ],
  [
    "fetch (@hono/node-server)",
    async (onNotification, onError) => {
      const handler = createFetchHandler(onNotification, { timeoutMs: 5000, onError });
      const server = serve({ fetch: (request: Request) => handler(request), port: 0, hostname: "127.0.0.1" }) as Server;
      await new Promise<void>((resolve) => (server.listening ? resolve() : server.once("listening", () => resolve())));
      return nodeServer(server, true);
    },
  ],
];

let running: { port: number; close(): Promise<unknown> } | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
  responses.length = 0;
});

const within = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
  ]);

describe("the client disconnects while the handler runs", () => {
  test.each(adapters)("%s: context.signal aborts with the reason, and nothing is answered", async (_name, start) => {
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let aborted: (reason: unknown) => void = () => undefined;
    const abortReason = new Promise<unknown>((resolve) => (aborted = resolve));
    const logged: unknown[] = [];
    // A handler awaiting work that stops when the signal aborts (as fetch or a database driver would).
    const onNotification = (_n: unknown, context: NotificationContext) =>
      new Promise((_, reject) => {
        context.signal.addEventListener("abort", () => {
          aborted(context.signal.reason);
          reject(context.signal.reason);
        });
        entered();
      });
    running = await start(onNotification, (error) => logged.push(error));
    const socket = connect({ host: "127.0.0.1", port: running.port });
    let received = "";
    socket.on("data", (d: Buffer) => {
      received += d.toString();
    });
    socket.on("error", () => undefined);
    socket.on("connect", () => socket.write(head + body));
    await within(inHandler, 5000, "the handler was entered");
    socket.destroy();

    const reason = await within(abortReason, 5000, "context.signal aborted");
    expect(reason).toBeInstanceOf(Error);
    expect((reason as Error).name).toBe("ClientDisconnected");
    expect((reason as Error).message).toMatch(/client closed the connection before the answer/);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toBe("");
    // The handler's rejection is logged; no answer was written to the closed response.
    expect(logged).toEqual([reason]);
    for (const res of responses) expect(res.headersSent).toBe(false);
  });
});

describe("context.signal costs nothing until read", () => {
  test("the response gets a 'close' listener only when the handler reads the signal", async () => {
    const counts: Record<string, number> = {};
    let res: ServerResponse | undefined;
    const handler = createNodeHandler((n, context) => {
      const sku = (n as { sku?: string }).sku ?? "";
      const before = res?.listenerCount("close") ?? -1;
      if (sku === "reads") void context.signal;
      counts[sku] = (res?.listenerCount("close") ?? -1) - before;
    });
    running = await nodeServer(
      createServer((req, r) => {
        res = r;
        handler(req, r);
      }),
    );
    for (const sku of ["reads", "ignores"]) {
      expect((await fetch(`http://127.0.0.1:${running.port}/?sku=${sku}`)).status).toBe(200);
    }
    expect(counts).toEqual({ reads: 1, ignores: 0 });
  });

  test("a signal first read after the client left is already aborted", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let seen: AbortSignal | undefined;
    let done: () => void = () => undefined;
    const read = new Promise<void>((resolve) => (done = resolve));
    running = await nodeServer(
      createServer(
        createNodeHandler(async (_n, context) => {
          release();
          await new Promise((r) => setTimeout(r, 300));
          seen = context.signal;
          done();
        }),
      ),
    );
    const socket = connect({ host: "127.0.0.1", port: running.port });
    socket.on("error", () => undefined);
    socket.on("connect", () => socket.write(head + body));
    await within(gate, 5000, "the handler was entered");
    socket.destroy();
    await within(read, 5000, "the handler read its signal");
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toMatchObject({ name: "ClientDisconnected" });
  });
});
