/**
 * The SQLite store's worker thread (started by `sqliteInbox`, sqlite.ts): it owns the database
 * connection and answers the store's calls one message at a time, in the order sent. Running here,
 * a commit's fsync and the insert's index work overlap the main thread's request handling instead
 * of blocking it.
 *
 * Protocol: `{ id, method, args }` in; `{ id, value }` or `{ id, error: { name, message, code } }`
 * out. After `close` it answers and lets the thread end.
 */
import { parentPort, workerData } from "node:worker_threads";
import { SqliteEngine, type SqliteEngineOptions } from "./sqlite-engine.js";
import type { InboxStore } from "./store.js";

export type StoreMethod = Exclude<keyof InboxStore, "dialect" | "location" | "insert"> | "insertRows";

export interface StoreCall {
  readonly id: number;
  readonly method: StoreMethod;
  readonly args: readonly unknown[];
}

export type StoreReply =
  | { readonly id: number; readonly value: unknown }
  | {
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string; readonly code?: unknown };
    };

if (parentPort !== null && (workerData as { sqliteInbox?: unknown } | null)?.sqliteInbox !== undefined) {
  const port = parentPort;
  const engine = new SqliteEngine((workerData as { sqliteInbox: SqliteEngineOptions }).sqliteInbox);
  port.on("message", async ({ id, method, args }: StoreCall) => {
    let reply: StoreReply;
    try {
      const value = await (engine[method] as (...args: unknown[]) => Promise<unknown>).apply(engine, [...args]);
      reply = { id, value };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      reply = { id, error: { name: e.name, message: e.message, code: (e as { code?: unknown }).code } };
    }
    port.postMessage(reply);
    if (method === "close") port.close();
  });
}
