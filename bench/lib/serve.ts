/**
 * The child side of an HTTP benchmark server: listen on 127.0.0.1, port 0 (ephemeral), tell the
 * parent the port over IPC, answer its `stats` requests with this process's CPU time and RSS,
 * and exit when the parent goes away or after a hard time limit, so no server can be left behind.
 */
import type { Server } from "node:http";

const LIFETIME_MS = Number(process.env.IMPACT_BENCH_LIFETIME_MS ?? 15 * 60_000);

export interface ServerStats {
  readonly type: "stats";
  /** user + system CPU time, µs */
  readonly cpuUs: number;
  readonly rss: number;
  /** Heap in use after a forced GC, when the parent asked for one (`--expose-gc`). */
  readonly heapUsed?: number;
  /** The Node flags this process runs with (`process.execArgv`), so a run can check what it asked for. */
  readonly execArgv?: readonly string[];
  /** An inbox server's counters so far (server-inbox.ts): rows recorded, transactions committed. */
  readonly inbox?: InboxServerCounters;
}

export interface InboxServerCounters {
  readonly recorded: number;
  readonly duplicates: number;
  readonly failedWrites: number;
  readonly commits: number;
}

/** What a server reports about itself at each stats request (read when asked). */
export type LiveFacts = () => Pick<ServerStats, "inbox">;

export function serve(server: Server, live?: LiveFacts): void {
  if (process.send === undefined) throw new Error("run this server through bench/run.ts (it needs an IPC channel)");
  setTimeout(() => process.exit(3), LIFETIME_MS).unref();
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message: { type?: string; gc?: boolean }) => {
    if (message.type !== "stats") return;
    const cpu = process.cpuUsage();
    const gc = (globalThis as { gc?: () => void }).gc;
    if (message.gc === true) gc?.();
    const stats: ServerStats = {
      type: "stats",
      execArgv: process.execArgv,
      ...live?.(),
      cpuUs: cpu.user + cpu.system,
      rss: process.memoryUsage.rss(),
      ...(message.gc === true && gc !== undefined ? { heapUsed: process.memoryUsage().heapUsed } : {}),
    };
    process.send?.(stats);
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("no TCP address");
    process.send?.({ type: "ready", port: address.port });
  });
}

/** Reads a whole request body (the peers that have no parser of their own). */
export function readBody(req: import("node:http").IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

export const OK_BODY = '{"ok":true}';
export const OK_HEADERS = { "content-type": "application/json", "content-length": String(OK_BODY.length) };
export const INVALID_BODY = '{"ok":false}';
export const INVALID_HEADERS = { "content-type": "application/json", "content-length": String(INVALID_BODY.length) };
