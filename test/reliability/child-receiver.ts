/**
 * A receiver in its own process, for tests whose figures a shared event loop would distort:
 * memory (test/reliability/trickle-memory.test.ts, run with `--expose-gc` and a small
 * `--max-old-space-size`) and socket timing (early-refusal.test.ts: a client in the same process
 * reads the answer before its next write can fail). argv: the adapter ("node", "express",
 * "fastify"), then an optional shared secret (query parameter `token`).
 * Protocol over the IPC channel: it sends `{ port }` once listening; on `"measure"` it runs a full
 * GC (when exposed) and answers with a MemoryReport. It exits when the channel closes.
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeHandler } from "../../src/adapters/node.js";
import type { VerifyOptions } from "../../src/verify/options.js";

export interface MemoryReport {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
  /** Notifications the handler accepted so far. */
  readonly accepted: number;
}

export type ChildAdapter = "node" | "express" | "fastify";

if (process.send === undefined) throw new Error("start with an IPC channel (spawn with stdio 'ipc')");
const send = process.send.bind(process);
const gc = (globalThis as { gc?: () => void }).gc;
const [adapter = "node", secret] = process.argv.slice(2) as [ChildAdapter?, string?];
const options: VerifyOptions = secret === undefined ? {} : { secret: { values: [secret], queryParameter: "token" } };

let accepted = 0;
const onNotification = () => {
  accepted++;
};

let close: () => Promise<unknown>;
if (adapter === "fastify") {
  // Imported only when used, so the memory figures of the node receiver carry no framework.
  const { default: Fastify } = await import("fastify");
  const { eventNotificationsPlugin } = await import("../../src/adapters/fastify.js");
  const app = Fastify();
  await app.register(eventNotificationsPlugin, { ...options, onNotification });
  await app.listen({ port: 0, host: "127.0.0.1" });
  send({ port: (app.server.address() as AddressInfo).port });
  close = () => app.close();
} else {
  let listener: RequestListener = createNodeHandler(onNotification, options);
  if (adapter === "express") {
    const { default: express } = await import("express");
    const { createExpressHandler } = await import("../../src/adapters/express.js");
    const app = express();
    app.post("/", createExpressHandler(onNotification, options));
    listener = app;
  }
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  send({ port: (server.address() as AddressInfo).port });
  close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
}

process.on("message", (message) => {
  if (message !== "measure") return;
  // Twice: the first pass may leave finalizer-held buffers for the second.
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  const report: MemoryReport = {
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    rss: usage.rss,
    accepted,
  };
  send(report);
});
process.on("disconnect", () => void close());
