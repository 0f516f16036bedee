/**
 * The embedded inbox store: one SQLite file in WAL mode (sqlite-engine.ts), driven from a worker
 * thread of its own (sqlite-thread.ts), so the event loop never waits for a statement or a commit's
 * fsync: it handles the next requests while the thread writes the last ones, and `createInbox`'s
 * group commit hands the thread everything that queued meanwhile.
 *
 * One writer at a time, across processes too: `listen` and an `inbox process` or `inbox retry` in
 * another terminal share the file, each waiting (busy_timeout) for the other's short transaction.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { SqliteEngine, toInsertRow } from "./sqlite-engine.js";
import type { StoreCall, StoreMethod, StoreReply } from "./sqlite-thread.js";
import type { InboxStore } from "./store.js";

export interface SqliteInboxOptions {
  /** The database file, created if missing (its folder must exist). `:memory:` for tests only. */
  readonly file: string;
  /**
   * `full` (default): a 2xx is sent only once the row is on disk; survives a process crash and a
   * power loss. `normal`: survives a process crash; a power loss can lose the last commits (WAL
   * with synchronous=NORMAL fsyncs only at checkpoints), which impact.com will not resend.
   */
  readonly synchronous?: "full" | "normal";
  /** How long a write waits for another process's transaction, in ms (default 5 000). */
  readonly busyTimeoutMs?: number;
  /**
   * How many pages (4 KiB) the write-ahead log may hold before a commit copies them into the
   * database (SQLite's wal_autocheckpoint; default 10 000, about 40 MiB). Every notification
   * dirties index pages at random (its key is a hash), so with SQLite's default of 1 000 a
   * checkpoint ran every ~20 commits and took about half of the insert cost.
   */
  readonly checkpointPages?: number;
  /**
   * Run the database on a worker thread (default true). `false` runs it on the calling thread,
   * where every statement blocks the event loop: for a bundle that does not ship the thread's
   * script (see docs/inbox.md), which also falls back to this, with a warning.
   */
  readonly thread?: boolean;
}

interface ThreadScript {
  /** A file URL, or with `eval` the code of a module loader. */
  readonly script: URL | string;
  readonly eval: boolean;
}

/** The thread's script beside this module: built (inbox-sqlite-thread.js) or the source (.ts). */
function threadScript(): ThreadScript | undefined {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    // From source (tests, `npm start`), the thread loads its TypeScript through tsx's API: a
    // worker takes no `--import` of its own. The API's ESM build, which resolves its own files.
    const api = pathToFileURL(
      createRequire(here)
        .resolve("tsx/esm/api")
        .replace(/\.cjs$/, ".mjs"),
    ).href;
    const source = new URL("./sqlite-thread.ts", here).href;
    const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(api)}))`;
    return { script: code, eval: true };
  }
  const url = new URL("./inbox-sqlite-thread.js", here);
  return existsSync(fileURLToPath(url)) ? { script: url, eval: false } : undefined;
}

interface Call {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** The store's calls, posted to the thread; answers in the order sent. */
class ThreadedStore implements InboxStore {
  readonly dialect = "sqlite";
  readonly location: string;
  readonly #options: SqliteInboxOptions;
  readonly #script: ThreadScript;
  readonly #calls = new Map<number, Call>();
  #worker: Worker | undefined;
  #next = 0;
  #closed = false;

  constructor(options: SqliteInboxOptions, script: ThreadScript) {
    this.#options = options;
    this.#script = script;
    this.location = options.file;
  }

  #spawn(): Worker {
    const { file, synchronous, busyTimeoutMs, checkpointPages } = this.#options;
    const worker = new Worker(this.#script.script, {
      eval: this.#script.eval,
      // None of the process's own: a worker inherits them, and some break it (node
      // --input-type=module -e … makes the thread's script fail to load).
      execArgv: [],
      workerData: { sqliteInbox: { file, synchronous, busyTimeoutMs, checkpointPages } },
    });
    // Referenced only while a call waits: an open inbox alone does not keep the process alive.
    worker.unref();
    worker.on("message", (reply: StoreReply) => {
      const call = this.#calls.get(reply.id);
      if (call === undefined) return;
      this.#calls.delete(reply.id);
      if (this.#calls.size === 0) worker.unref();
      if ("error" in reply) {
        call.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }));
      } else call.resolve(reply.value);
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      // The next call starts a new thread; the calls waiting now fail (a 503: impact.com retries).
      this.#worker = undefined;
      const waiting = [...this.#calls.values()];
      this.#calls.clear();
      for (const call of waiting) call.reject(error);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`The SQLite inbox's thread stopped (exit code ${code}).`)));
    return worker;
  }

  #call<T>(method: StoreMethod, ...args: unknown[]): Promise<T> {
    if (this.#closed) return Promise.reject(new Error(`The inbox ${this.location} is closed.`));
    this.#worker ??= this.#spawn();
    const worker = this.#worker;
    const id = this.#next++;
    if (this.#calls.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.#calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args } satisfies StoreCall);
    });
  }

  migrate = (): Promise<void> => this.#call("migrate");
  // Posted in column form: strings and exact bytes clone far cheaper than nested objects.
  insert: InboxStore["insert"] = async (entries) => this.#call("insertRows", entries.map(toInsertRow));
  lease: InboxStore["lease"] = (limit, leaseMs) => this.#call("lease", limit, leaseMs);
  complete: InboxStore["complete"] = (id, token) => this.#call("complete", id, token);
  fail: InboxStore["fail"] = (id, token, error, retryInMs) => this.#call("fail", id, token, error, retryInMs);
  list: InboxStore["list"] = (filter) => this.#call("list", filter);
  get: InboxStore["get"] = (id) => this.#call("get", id);
  retry: InboxStore["retry"] = (target) => this.#call("retry", target);
  prune: InboxStore["prune"] = (before) => this.#call("prune", before);
  counts: InboxStore["counts"] = () => this.#call("counts");

  async close(): Promise<void> {
    if (this.#closed) return;
    const worker = this.#worker;
    if (worker !== undefined) {
      await this.#call("close").catch(() => undefined);
      this.#worker = undefined;
      await worker.terminate();
    }
    this.#closed = true;
  }
}

let warnedNoThread = false;

/**
 * The SQLite store: `createInbox(sqliteInbox({ file: "./.impact-inbox.sqlite" }))`. Nothing is
 * opened until first use; `createInbox` migrates it.
 */
export function sqliteInbox(options: SqliteInboxOptions): InboxStore {
  if (typeof options?.file !== "string" || options.file === "") {
    throw new TypeError('sqliteInbox needs { file }, e.g. sqliteInbox({ file: "./.impact-inbox.sqlite" }).');
  }
  for (const name of ["busyTimeoutMs", "checkpointPages"] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) {
      throw new TypeError(`sqliteInbox: ${name} must be a positive whole number, got ${String(value)}.`);
    }
  }
  if (options.synchronous !== undefined && options.synchronous !== "full" && options.synchronous !== "normal") {
    throw new TypeError(
      `sqliteInbox: synchronous must be "full" or "normal", got ${JSON.stringify(options.synchronous)}.`,
    );
  }
  if (options.thread !== undefined && typeof options.thread !== "boolean") {
    throw new TypeError(`sqliteInbox: thread must be true or false, got ${JSON.stringify(options.thread)}.`);
  }
  if (options.thread === false) return new SqliteEngine(options);
  const script = threadScript();
  if (script !== undefined) return new ThreadedStore(options, script);
  if (!warnedNoThread) {
    warnedNoThread = true;
    process.emitWarning(
      "inbox-sqlite-thread.js is not beside the inbox's code (a bundle?), so the SQLite inbox runs on the main thread; see docs/inbox.md.",
      { code: "IMPACT_INBOX_NO_THREAD" },
    );
  }
  return new SqliteEngine(options);
}
