/**
 * The storage contract of the durable inbox: what `createInbox` needs from a database. Two stores
 * implement it, `sqliteInbox` (src/inbox/sqlite.ts) and `postgresInbox` (src/inbox/postgres.ts),
 * with the same table (`impact_inbox`, see docs/inbox.md) and the same semantics, which
 * test/inbox/store-contract.ts checks against both.
 *
 * Times are milliseconds since the epoch (numbers). A store keeps its own clock for leases and
 * retries (PostgreSQL: the server's `now()`, shared by every instance), so callers pass durations,
 * never instants, where several processes must agree.
 */
import type { StoredRequest } from "../handler/recorder.js";

export type { StoredRequest };

/**
 * `pending`: to be processed (first time, or again after a failure once `availableAt` passed).
 * `leased`: a worker holds it until `leaseUntil`; past that it is `pending` again in effect.
 * `done`: the handler resolved. `dead`: it failed `maxAttempts` times (or was moved there).
 * `rejected`: verification refused the request; kept for inspection, never processed.
 */
export type InboxStatus = "pending" | "leased" | "done" | "dead" | "rejected";

export const INBOX_STATUSES: readonly InboxStatus[] = ["pending", "leased", "done", "dead", "rejected"];

/** One row to insert. */
export interface InboxEntry {
  /**
   * Unique: a second entry with the same key is a duplicate (not inserted; its row's
   * `duplicates` count goes up). Accepted: `<contract> <notification key>`; rejected: a hash of
   * the raw request.
   */
  readonly key: string;
  readonly status: "pending" | "rejected";
  readonly request: StoredRequest;
  /** The contract that matched (accepted), or the one routed to (rejected, when known). */
  readonly contract: string | undefined;
  readonly delivery: "GET" | "POST" | undefined;
  /** The verified notification (accepted only), as JSON. */
  readonly notification: unknown;
  /** `context.key` of the notification (accepted only). */
  readonly notificationKey: string | undefined;
  /** Rows of one order key (the action id) are processed one at a time, in id order. */
  readonly orderKey: string | undefined;
  /** The refusal (rejected only): HTTP status and problem code. */
  readonly verdict: { readonly status: number; readonly code: string; readonly detail: string } | undefined;
}

/** A stored row, as `list` and `get` return it. */
export interface InboxRow extends Omit<InboxEntry, "status"> {
  /** Increasing in insertion order. */
  readonly id: number;
  readonly status: InboxStatus;
  /** Handler runs started (leases taken). */
  readonly attempts: number;
  /** Deliveries of the same key after this one (answered 2xx, not stored again). */
  readonly duplicates: number;
  /** When a pending row may next be leased. */
  readonly availableAt: number;
  /** While leased: until when. */
  readonly leaseUntil: number | undefined;
  /** The last handler error, as text (`name: message`), never a stack. */
  readonly lastError: string | undefined;
  /** When it became done, dead or pending again, or was leased: the last change. */
  readonly updatedAt: number;
}

/** A row a worker now holds: `token` proves it when completing or failing it. */
export interface LeasedRow extends InboxRow {
  readonly token: string;
}

export interface InsertOutcome {
  /** The row's id: the new row's, or for a duplicate the existing row's. */
  readonly id: number;
  readonly duplicate: boolean;
}

export interface ListFilter {
  readonly status?: InboxStatus | undefined;
  /** Received at or after (ms since the epoch). */
  readonly since?: number | undefined;
  /** Received before (ms since the epoch). */
  readonly until?: number | undefined;
  /** Only ids greater than this (paging). */
  readonly afterId?: number | undefined;
  /** At most this many rows (default 100), in id order. */
  readonly limit?: number | undefined;
}

export interface InboxStore {
  readonly dialect: "sqlite" | "postgres";
  /** Where it stores, for messages (a file path, or `host:port/database`; never a password). */
  readonly location: string;
  /** Creates or upgrades the schema; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Inserts entries in one transaction, committed durably before it resolves (the group commit):
   * one outcome per entry, in order. A key already stored, or repeated within `entries`, is a
   * duplicate. Rejects (and stores nothing) if the transaction fails.
   */
  insert(entries: readonly InboxEntry[]): Promise<readonly InsertOutcome[]>;
  /**
   * Takes up to `limit` rows that are pending and available (or leased with an expired lease),
   * oldest first, each the earliest unfinished row (pending or leased) of its order key, marks
   * them leased for `leaseMs` with a fresh token and counts an attempt. Two workers never hold
   * one row at once, nor two rows of one order key.
   */
  lease(limit: number, leaseMs: number): Promise<readonly LeasedRow[]>;
  /** Marks a leased row done; false (and nothing changed) if the token no longer holds it. */
  complete(id: number, token: string): Promise<boolean>;
  /**
   * Records a failed run: pending again after `retryInMs`, or dead when `retryInMs` is
   * undefined; false (and nothing changed) if the token no longer holds it.
   */
  fail(id: number, token: string, error: string, retryInMs: number | undefined): Promise<boolean>;
  list(filter?: ListFilter): Promise<readonly InboxRow[]>;
  get(id: number): Promise<InboxRow | undefined>;
  /** Makes rows pending and available now with attempts reset: the given ids (dead or done), or every dead row. */
  retry(target: readonly number[] | "dead"): Promise<number>;
  /** Deletes done, dead and rejected rows received before `before`; returns how many. */
  prune(before: number): Promise<number>;
  /** Rows per status. */
  counts(): Promise<Readonly<Record<InboxStatus, number>>>;
  close(): Promise<void>;
}
