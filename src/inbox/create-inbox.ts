/**
 * The durable inbox: acknowledge a notification only once it is stored, process it later, keep
 * what failed. impact.com signs nothing, sends no delivery id and retries anything but a 2xx, so
 * the receiver's one job before answering is a durable write; everything that can fail slowly (your
 * database, an API call) runs afterwards, from the stored copy, retried with backoff and parked as
 * `dead` after `maxAttempts`, where a person can look at it and `retry` it.
 *
 * At-least-once: a worker killed mid-handler leaves its lease to expire and the row is processed
 * again, so a handler must be idempotent on `context.key`.
 */
import { createHash } from "node:crypto";
import type { ContractRuntime } from "../contract.js";
import { notificationKeySync } from "../handler/notification-key.js";
import {
  type NotificationRecorder,
  type RecordOutcome,
  type RequestRecord,
  recordsVerdict,
  type StoredRequest,
} from "../handler/recorder.js";
import type { InboxEntry, InboxRow, InboxStatus, InboxStore, InsertOutcome, LeasedRow, ListFilter } from "./store.js";

/** Default cap on the body bytes kept of a refused request. */
export const DEFAULT_REJECTED_BODY_BYTES = 4096;
/** Most entries committed in one transaction. */
const MAX_BATCH = 512;

export interface InboxOptions {
  /** Create or upgrade the schema on start (default true). Off: run `migrate` yourself (`inbox migrate`). */
  readonly migrate?: boolean;
  /**
   * What is kept of requests the verifier refused: by default each is stored as `rejected`, with at
   * most {@link DEFAULT_REJECTED_BODY_BYTES} of its body; `false` keeps none. Repeats of one refused
   * request (same method, target and body) are one row with a count.
   */
  readonly rejected?: false | { readonly maxBodyBytes?: number };
  /** Which top-level fields make the de-duplication key (default: all), as `keyFields` of the handlers. */
  readonly keyFields?: readonly string[];
  /**
   * The order key of a notification: rows with one key are processed one at a time, in the order
   * received. Default: the contract's `{ActionId}` field (`template.actionIdField`), else
   * `action_id`; notifications without one are not ordered.
   */
  readonly orderBy?: (notification: unknown, contract: string) => string | undefined;
}

/** What a processing handler learns besides the notification. */
export interface InboxContext {
  /** The inbox row. */
  readonly id: number;
  readonly contract: string;
  readonly delivery: "GET" | "POST";
  /** The notification's de-duplication key, the same `context.key` the live handlers give. */
  readonly key: string;
  /** 1 on the first run, 2 on the first retry, … */
  readonly attempt: number;
  readonly receivedAt: Date;
  /** The request as it arrived. */
  readonly request: StoredRequest;
  /** Aborted when the lease runs out (another worker may then take the row) or the worker stops. */
  readonly signal: AbortSignal;
}

export type InboxHandler<T = Record<string, unknown>> = (notification: T, context: InboxContext) => unknown;

export interface ProcessOptions {
  /** Handlers run at once (default 1). Rows of one order key never run at once, whatever this is. */
  readonly concurrency?: number;
  /** Runs before a row goes to `dead` (default 10). */
  readonly maxAttempts?: number;
  /** How long a worker holds a row (default 60 000 ms); past it the row is processed again. */
  readonly leaseMs?: number;
  /** Retry delay after the first failure (default 1 000 ms), doubled per failure, with jitter. */
  readonly backoffMs?: number;
  /** Longest retry delay (default 3 600 000 ms). */
  readonly maxBackoffMs?: number;
  /** How often an idle worker looks for work (default 500 ms); a row recorded by this process wakes it at once. */
  readonly pollMs?: number;
  /** Resolve `done` once nothing is ready to process (for scripts, `inbox process --once`, tests). */
  readonly untilIdle?: boolean;
  /** Stops the worker, as `stop()`. */
  readonly signal?: AbortSignal;
  /**
   * Called with each handler failure (also stored as the row's `lastError`), and with a failure
   * to lease (the database away; `row` undefined), after which the worker looks again at the next poll.
   */
  readonly onError?: (error: unknown, row: InboxRow | undefined) => void;
}

export interface InboxWorker {
  /** Stops leasing, waits for the handlers running, and resolves. */
  stop(): Promise<void>;
  /** Resolves when the worker stopped (or, with `untilIdle`, ran out of work). */
  readonly done: Promise<void>;
}

export interface InboxCounters {
  /** Requests stored since start (accepted and refused). */
  readonly recorded: number;
  /** Deliveries of something already stored (answered 2xx, not stored again). */
  readonly duplicates: number;
  /** Transactions that failed (their requests were answered 503). */
  readonly failedWrites: number;
  /** Transactions committed. */
  readonly commits: number;
}

export interface Inbox extends NotificationRecorder {
  readonly store: InboxStore;
  /** Processes stored notifications until stopped. */
  process<T = Record<string, unknown>>(handler: InboxHandler<T>, options?: ProcessOptions): InboxWorker;
  list(filter?: ListFilter): Promise<readonly InboxRow[]>;
  get(id: number): Promise<InboxRow | undefined>;
  /** Makes dead (or done) rows pending again, attempts reset: the given ids, or every dead row. */
  retry(target: readonly number[] | "dead"): Promise<number>;
  /** Deletes done, dead and rejected rows received before `before`. */
  prune(before: Date | number): Promise<number>;
  counts(): Promise<Readonly<Record<InboxStatus, number>>>;
  readonly counters: InboxCounters;
  /** Stops the workers, commits what is queued, closes the store. */
  close(): Promise<void>;
}

function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}

function defaultOrderKey(notification: unknown, contract: ContractRuntime | undefined): string | undefined {
  if (typeof notification !== "object" || notification === null) return undefined;
  const field = contract?.template?.actionIdField ?? "action_id";
  const value = (notification as Record<string, unknown>)[field];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}

class LeaseExpired extends Error {
  override readonly name = "LeaseExpired";
}
class WorkerStopped extends Error {
  override readonly name = "WorkerStopped";
}

interface Queued {
  readonly entry: InboxEntry;
  readonly resolve: (outcome: InsertOutcome) => void;
  readonly reject: (error: unknown) => void;
}

class DurableInbox implements Inbox {
  readonly store: InboxStore;
  readonly recordsRefusals: boolean;
  readonly #options: InboxOptions;
  readonly #maxRejectedBytes: number;
  #queue: Queued[] = [];
  #flushing = false;
  #workers = new Set<Worker>();
  #counters = { recorded: 0, duplicates: 0, failedWrites: 0, commits: 0 };
  #closed = false;

  constructor(store: InboxStore, options: InboxOptions) {
    this.store = store;
    this.#options = options;
    this.recordsRefusals = options.rejected !== false;
    const max = options.rejected === false ? 0 : (options.rejected?.maxBodyBytes ?? DEFAULT_REJECTED_BODY_BYTES);
    if (!Number.isSafeInteger(max) || max < 0) throw new TypeError("rejected.maxBodyBytes must be a whole number ≥ 0.");
    this.#maxRejectedBytes = max;
  }

  get counters(): InboxCounters {
    return { ...this.#counters };
  }

  /** Bound as a property, so `createNodeHandler(inbox)` can call it detached. */
  readonly record = (record: RequestRecord): Promise<RecordOutcome> => {
    const entry = this.#entryOf(record);
    if (entry === undefined) return Promise.resolve({ id: 0, duplicate: false });
    return this.#enqueue(entry);
  };

  #entryOf({ request, verdict, contract }: RequestRecord): InboxEntry | undefined {
    if (verdict.ok) {
      const notificationKey = notificationKeySync(
        verdict.notification,
        this.#options.keyFields === undefined ? {} : { fields: this.#options.keyFields },
      ) as string;
      const orderKey =
        this.#options.orderBy !== undefined
          ? this.#options.orderBy(verdict.notification, verdict.contract)
          : defaultOrderKey(verdict.notification, contract);
      return {
        key: `${verdict.contract} ${notificationKey}`,
        status: "pending",
        request,
        contract: verdict.contract,
        delivery: verdict.delivery,
        notification: verdict.notification,
        notificationKey,
        orderKey: orderKey === undefined ? undefined : `${verdict.contract} ${orderKey}`,
        verdict: undefined,
      };
    }
    if (!recordsVerdict(this, verdict)) return undefined;
    const truncated = request.body.byteLength > this.#maxRejectedBytes;
    const body = truncated ? request.body.subarray(0, this.#maxRejectedBytes) : request.body;
    return {
      key: `rejected ${sha256(request.method, request.target, request.body)}`,
      status: "rejected",
      request: { ...request, body, bodyTruncated: request.bodyTruncated || truncated },
      contract: contract?.name,
      delivery: undefined,
      notification: undefined,
      notificationKey: undefined,
      orderKey: undefined,
      verdict: { status: verdict.status, code: verdict.error.code, detail: verdict.error.detail },
    };
  }

  /**
   * The group commit: entries that arrive while a transaction is being written wait for the
   * next one, and everything queued in one turn of the event loop goes into one transaction, so
   * 50 concurrent requests cost a handful of fsyncs, not 50.
   */
  #enqueue(entry: InboxEntry): Promise<InsertOutcome> {
    if (this.#closed) return Promise.reject(new Error("The inbox is closed."));
    return new Promise((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      if (!this.#flushing) {
        this.#flushing = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        const outcomes = await this.#insert(batch.map((q) => q.entry));
        this.#counters.commits++;
        let pending = false;
        batch.forEach((q, i) => {
          const outcome = outcomes[i] as InsertOutcome;
          if (outcome.duplicate) this.#counters.duplicates++;
          else {
            this.#counters.recorded++;
            if (q.entry.status === "pending") pending = true;
          }
          q.resolve(outcome);
        });
        if (pending) for (const worker of this.#workers) worker.wake();
      } catch (error) {
        this.#counters.failedWrites++;
        for (const q of batch) q.reject(error);
      }
    }
    this.#flushing = false;
  }

  /**
   * One transaction, tried again (up to 4 times in all) when PostgreSQL chose it as a deadlock's
   * victim or refused it for serialization (40P01, 40001): two instances inserting the same keys in
   * different orders can meet that way. The n-th retry first waits n × 20–100 ms (random), so the
   * other transaction commits before this one takes its locks again; an immediate retry can
   * deadlock with the same transaction a second time.
   */
  async #insert(entries: readonly InboxEntry[]): Promise<readonly InsertOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.insert(entries);
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        if ((code !== "40P01" && code !== "40001") || attempt === 4) throw error;
        await new Promise((resolve) => setTimeout(resolve, attempt * (20 + Math.random() * 80)));
      }
    }
  }

  process<T = Record<string, unknown>>(handler: InboxHandler<T>, options: ProcessOptions = {}): InboxWorker {
    if (this.#closed) throw new Error("The inbox is closed.");
    const worker = new Worker(this.store, handler as InboxHandler, options);
    this.#workers.add(worker);
    void worker.done.finally(() => this.#workers.delete(worker));
    return worker;
  }

  list(filter?: ListFilter) {
    return this.store.list(filter);
  }
  get(id: number) {
    return this.store.get(id);
  }
  retry(target: readonly number[] | "dead") {
    return this.store.retry(target);
  }
  prune(before: Date | number) {
    return this.store.prune(typeof before === "number" ? before : before.getTime());
  }
  counts() {
    return this.store.counts();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.all([...this.#workers].map((w) => w.stop()));
    // What was queued is committed (and answered) before the store goes.
    while (this.#flushing || this.#queue.length > 0) await new Promise((r) => setImmediate(r));
    this.#closed = true;
    await this.store.close();
  }
}

function positiveOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value >= 1) || !Number.isFinite(value)) throw new TypeError(`${name} must be a positive number.`);
  return value;
}

/** One `process` loop: leases up to `concurrency` rows, runs them, and looks again. */
class Worker implements InboxWorker {
  readonly done: Promise<void>;
  readonly #store: InboxStore;
  readonly #handler: InboxHandler;
  readonly #onError: ProcessOptions["onError"];
  readonly #concurrency: number;
  readonly #maxAttempts: number;
  readonly #leaseMs: number;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #pollMs: number;
  readonly #untilIdle: boolean;
  readonly #running = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(store: InboxStore, handler: InboxHandler, options: ProcessOptions) {
    this.#store = store;
    this.#handler = handler;
    this.#onError = options.onError;
    this.#concurrency = Math.trunc(positiveOption(options.concurrency, 1, "concurrency"));
    this.#maxAttempts = Math.trunc(positiveOption(options.maxAttempts, 10, "maxAttempts"));
    this.#leaseMs = positiveOption(options.leaseMs, 60_000, "leaseMs");
    this.#backoffMs = positiveOption(options.backoffMs, 1000, "backoffMs");
    this.#maxBackoffMs = positiveOption(options.maxBackoffMs, 3_600_000, "maxBackoffMs");
    this.#pollMs = positiveOption(options.pollMs, 500, "pollMs");
    this.#untilIdle = options.untilIdle === true;
    if (options.signal?.aborted) this.#stopping.abort();
    options.signal?.addEventListener("abort", () => void this.stop(), { once: true });
    this.done = this.#loop();
  }

  /** New work was committed by this process: look now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopping.abort(new WorkerStopped("the inbox worker was stopped"));
    this.#wake?.();
    await this.done;
  }

  async #loop(): Promise<void> {
    const stopped = this.#stopping.signal;
    while (!stopped.aborted) {
      const free = this.#concurrency - this.#running.size;
      let leased: readonly LeasedRow[] = [];
      if (free > 0) {
        this.#woken = false;
        try {
          leased = await this.#store.lease(free, this.#leaseMs);
        } catch (error) {
          // The database is away for a moment: look again at the next poll.
          this.#onError?.(error, undefined);
        }
      }
      for (const row of leased) {
        const run = this.#run(row).finally(() => {
          this.#running.delete(run);
          this.wake();
        });
        this.#running.add(run);
      }
      if (leased.length > 0 && leased.length === free) continue;
      if (this.#untilIdle && leased.length === 0 && this.#running.size === 0 && !this.#woken) break;
      if (this.#woken && free > 0) continue;
      await this.#sleep(this.#pollMs);
    }
    await Promise.allSettled([...this.#running]);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  async #run(row: LeasedRow): Promise<void> {
    const controller = new AbortController();
    const expiry = setTimeout(
      () => controller.abort(new LeaseExpired(`the lease of inbox row ${row.id} ran out (${this.#leaseMs} ms)`)),
      this.#leaseMs,
    );
    const stop = () => controller.abort(this.#stopping.signal.reason);
    this.#stopping.signal.addEventListener("abort", stop, { once: true });
    const context: InboxContext = {
      id: row.id,
      contract: row.contract ?? "",
      delivery: row.delivery ?? "GET",
      key: row.notificationKey ?? "",
      attempt: row.attempts,
      receivedAt: new Date(row.request.receivedAt),
      request: row.request,
      signal: controller.signal,
    };
    try {
      await this.#handler(row.notification as Record<string, unknown>, context);
      await this.#store.complete(row.id, row.token);
    } catch (error) {
      try {
        this.#onError?.(error, row);
      } catch {
        // A failing logger must not lose the row's state.
      }
      const retryIn = row.attempts >= this.#maxAttempts ? undefined : this.#backoff(row.attempts);
      await this.#store.fail(row.id, row.token, errorText(error), retryIn).catch(() => false);
    } finally {
      clearTimeout(expiry);
      this.#stopping.signal.removeEventListener("abort", stop);
    }
  }

  /** Exponential, with "equal jitter": between half and all of base · 2^(attempt − 1), capped. */
  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#maxBackoffMs, this.#backoffMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

/**
 * The inbox over a store (`sqliteInbox({ file })` or `postgresInbox({ connectionString })`),
 * migrated unless told not to. Pass it where a handler takes `onNotification`:
 *   const inbox = await createInbox(sqliteInbox({ file: "./.impact-inbox.sqlite" }));
 *   createServer(createNodeHandler(inbox, { contracts }));
 *   inbox.process(async (notification, { key }) => { … }, { concurrency: 4 });
 */
export async function createInbox(store: InboxStore, options: InboxOptions = {}): Promise<Inbox> {
  const inbox = new DurableInbox(store, options);
  if (options.migrate !== false) await store.migrate();
  return inbox;
}
