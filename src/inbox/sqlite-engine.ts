/**
 * The SQLite store's engine: one SQLite file in WAL mode, on better-sqlite3 (12.x: 13.x needs Node
 * 22) or, where that is not installed or not built for this Node, Node's own `node:sqlite`
 * (Node ≥ 22.13). Both are synchronous: a statement blocks its thread, a commit for its fsync, so
 * `sqliteInbox` runs this engine on a worker thread of its own (sqlite-thread.ts) and `createInbox`
 * groups the requests of one turn into one transaction.
 *
 * One writer at a time, across processes too: `listen` and an `inbox process` or `inbox retry` in
 * another terminal share the file, each waiting (busy_timeout) for the other's short transaction.
 */
import { type SelectedRow, toInboxRow } from "./row.js";
import type { InboxEntry, InboxRow, InboxStatus, InboxStore, InsertOutcome, LeasedRow, ListFilter } from "./store.js";
import { INBOX_STATUSES } from "./store.js";

/** What the engine reads of `sqliteInbox`'s options (sqlite.ts documents them). */
export interface SqliteEngineOptions {
  readonly file: string;
  readonly synchronous?: "full" | "normal" | undefined;
  readonly busyTimeoutMs?: number | undefined;
  readonly checkpointPages?: number | undefined;
}

/** What both drivers offer, the only part used here. */
interface Statement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface Database {
  exec(sql: string): unknown;
  prepare(sql: string): Statement;
  close(): unknown;
}

const MISSING_DRIVER =
  "The SQLite inbox needs better-sqlite3 (npm install better-sqlite3@12) or Node 22.13 or later (node:sqlite)";

/**
 * Runs `load` without the ExperimentalWarning Node 22 and 24 print when node:sqlite is first
 * loaded: the inbox chose the module, the user did not, and the line would land in the middle of
 * a CLI's output. Other warnings pass.
 */
function quietly<T>(load: () => T): T {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return load();
  } finally {
    process.emitWarning = emit;
  }
}

async function openDatabase(file: string): Promise<Database> {
  let first: unknown;
  try {
    const { default: BetterSqlite3 } = (await import("better-sqlite3")) as unknown as {
      default: new (file: string) => Database;
    };
    return new BetterSqlite3(file);
  } catch (error) {
    // Not installed, or built for another Node (ERR_DLOPEN_FAILED): node:sqlite may still do.
    first = error;
  }
  try {
    // getBuiltinModule, not import(): bundlers drop the "node:" of built-ins, and node:sqlite has no other name.
    const { DatabaseSync } = quietly(() => process.getBuiltinModule("node:sqlite")) as {
      DatabaseSync: new (file: string) => Database;
    };
    return new DatabaseSync(file);
  } catch {
    const reason = first instanceof Error ? first.message.split("\n")[0] : String(first);
    throw new Error(`${MISSING_DRIVER}: ${reason}`);
  }
}

/** Schema versions, applied in order; PRAGMA user_version says how many ran. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE impact_inbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL,
     received_at INTEGER NOT NULL,
     method TEXT NOT NULL,
     target TEXT NOT NULL,
     headers TEXT NOT NULL,
     body BLOB NOT NULL,
     body_truncated INTEGER NOT NULL,
     peer TEXT,
     contract TEXT,
     delivery TEXT,
     notification TEXT,
     notification_key TEXT,
     order_key TEXT,
     verdict TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     duplicates INTEGER NOT NULL DEFAULT 0,
     available_at INTEGER NOT NULL,
     lease_until INTEGER,
     lease_token TEXT,
     last_error TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX impact_inbox_ready ON impact_inbox (status, available_at, id);
   CREATE INDEX impact_inbox_order ON impact_inbox (order_key, id) WHERE order_key IS NOT NULL;
   CREATE INDEX impact_inbox_received ON impact_inbox (received_at);`,
];

/**
 * Eligible to lease: pending and due, or leased with its lease run out; the first unfinished row
 * of its order key, and no other row of that key under a live lease (a later row may run while
 * `retry` made an earlier one pending again). The same rule as PostgreSQL's (postgres.ts).
 */
const READY = `((i.status = 'pending' AND i.available_at <= @now) OR (i.status = 'leased' AND i.lease_until < @now))
  AND (i.order_key IS NULL OR NOT EXISTS (
    SELECT 1 FROM impact_inbox o WHERE o.order_key = i.order_key AND o.id <> i.id
      AND ((o.id < i.id AND o.status IN ('pending', 'leased')) OR (o.status = 'leased' AND o.lease_until >= @now))))`;

/** An entry as the insert's columns, key first: JSON already serialized, the body's exact bytes. */
export type InsertRow = readonly [
  key: string,
  status: string,
  receivedAt: number,
  method: string,
  target: string,
  headers: string,
  body: Uint8Array,
  bodyTruncated: 0 | 1,
  peer: string | null,
  contract: string | null,
  delivery: string | null,
  notification: string | null,
  notificationKey: string | null,
  orderKey: string | null,
  verdict: string | null,
];

/**
 * An entry in column form. The body is copied when it is a view of a larger buffer (a socket
 * read's): posted to the thread, a view would carry its whole buffer along.
 */
export function toInsertRow(e: InboxEntry): InsertRow {
  const r = e.request;
  const body = r.body.byteLength === r.body.buffer.byteLength ? r.body : r.body.slice();
  return [
    e.key,
    e.status,
    r.receivedAt,
    r.method,
    r.target,
    JSON.stringify(r.headers),
    body,
    r.bodyTruncated ? 1 : 0,
    r.peer ?? null,
    e.contract ?? null,
    e.delivery ?? null,
    e.notification === undefined ? null : JSON.stringify(e.notification),
    e.notificationKey ?? null,
    e.orderKey ?? null,
    e.verdict === undefined ? null : JSON.stringify(e.verdict),
  ];
}

/** The store on the calling thread: every method runs its statements synchronously. */
export class SqliteEngine implements InboxStore {
  readonly dialect = "sqlite";
  readonly location: string;
  readonly #options: SqliteEngineOptions;
  #db: Promise<Database> | undefined;
  #statements = new Map<string, Statement>();
  #closed = false;

  constructor(options: SqliteEngineOptions) {
    this.#options = options;
    this.location = options.file;
  }

  async #open(): Promise<Database> {
    if (this.#closed) throw new Error(`The inbox ${this.location} is closed.`);
    this.#db ??= openDatabase(this.#options.file).then((db) => {
      db.exec(`PRAGMA busy_timeout = ${Math.trunc(this.#options.busyTimeoutMs ?? 5000)}`);
      db.exec(`PRAGMA synchronous = ${this.#options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
      db.exec(`PRAGMA wal_autocheckpoint = ${Math.trunc(this.#options.checkpointPages ?? 10_000)}`);
      return db;
    });
    return this.#db;
  }

  #statement(db: Database, sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one write transaction (taken at once, so two processes never deadlock on upgrade). */
  #transaction<T>(db: Database, work: () => T): T {
    // Prepared once: exec() would parse each statement again on every transaction.
    this.#statement(db, "BEGIN IMMEDIATE").run();
    try {
      const result = work();
      this.#statement(db, "COMMIT").run();
      return result;
    } catch (error) {
      if (this.#inTransaction(db)) this.#statement(db, "ROLLBACK").run();
      throw error;
    }
  }

  /** Whether a transaction is open (a failed COMMIT may have ended it already). */
  #inTransaction(db: Database): boolean {
    const flag =
      (db as { inTransaction?: boolean; isTransaction?: boolean }).inTransaction ??
      (db as { isTransaction?: boolean }).isTransaction;
    return flag !== false;
  }

  async migrate(): Promise<void> {
    const db = await this.#open();
    // Persistent in the file, so set where the schema is made: opening a file that is not an
    // inbox (and reading it fails) leaves its journal as it was.
    db.exec("PRAGMA journal_mode = WAL");
    this.#transaction(db, () => {
      const { user_version: version } = db.prepare("PRAGMA user_version").get() as { user_version: number };
      for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
      if (version < MIGRATIONS.length) db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
    });
  }

  async insert(entries: readonly InboxEntry[]): Promise<readonly InsertOutcome[]> {
    return this.insertRows(entries.map(toInsertRow));
  }

  /** `insert` of entries already in column form (what the thread receives: strings, numbers, exact bytes). */
  async insertRows(rows: readonly InsertRow[]): Promise<readonly InsertOutcome[]> {
    const db = await this.#open();
    const insert = this.#statement(
      db,
      `INSERT INTO impact_inbox (key, status, received_at, method, target, headers, body, body_truncated, peer,
         contract, delivery, notification, notification_key, order_key, verdict, available_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, coalesce(?, x''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    const duplicate = this.#statement(
      db,
      "UPDATE impact_inbox SET duplicates = duplicates + 1 WHERE key = ? RETURNING id",
    );
    const now = Date.now();
    // coalesce: node:sqlite (Node 24.9) binds some empty Uint8Arrays as NULL.
    return this.#transaction(db, () =>
      rows.map((row): InsertOutcome => {
        const inserted = insert.run(...row, now, now);
        // No RETURNING: a plain insert is cheaper, and the new row's id is the last rowid.
        if (Number(inserted.changes) === 1) return { id: Number(inserted.lastInsertRowid), duplicate: false };
        const existing = duplicate.get(row[0]) as { id: number };
        return { id: Number(existing.id), duplicate: true };
      }),
    );
  }

  async lease(limit: number, leaseMs: number): Promise<readonly LeasedRow[]> {
    const db = await this.#open();
    const lease = this.#statement(
      db,
      `UPDATE impact_inbox SET status = 'leased', lease_until = @now + @leaseMs, lease_token = lower(hex(randomblob(16))),
         attempts = attempts + 1, updated_at = @now
       WHERE id IN (SELECT i.id FROM impact_inbox i WHERE ${READY} ORDER BY i.id LIMIT @limit)
       RETURNING *`,
    );
    const now = Date.now();
    const rows = this.#transaction(db, () => lease.all({ now, leaseMs, limit }) as SelectedRow[]);
    return rows.map((r) => ({ ...toInboxRow(r), token: r.lease_token as string })).sort((a, b) => a.id - b.id);
  }

  async complete(id: number, token: string): Promise<boolean> {
    const db = await this.#open();
    const done = this.#statement(
      db,
      `UPDATE impact_inbox SET status = 'done', lease_until = NULL, lease_token = NULL, updated_at = ?
       WHERE id = ? AND lease_token = ? AND status = 'leased'`,
    );
    return Number(done.run(Date.now(), id, token).changes) === 1;
  }

  async fail(id: number, token: string, error: string, retryInMs: number | undefined): Promise<boolean> {
    const db = await this.#open();
    const failed = this.#statement(
      db,
      `UPDATE impact_inbox SET status = ?, available_at = ?, last_error = ?, lease_until = NULL, lease_token = NULL,
         updated_at = ?
       WHERE id = ? AND lease_token = ? AND status = 'leased'`,
    );
    const now = Date.now();
    const status = retryInMs === undefined ? "dead" : "pending";
    // node:sqlite cuts text at U+0000; better-sqlite3 keeps it. The same text from both: U+FFFD.
    const text = error.replace(/\0/g, "\uFFFD");
    return Number(failed.run(status, now + (retryInMs ?? 0), text, now, id, token).changes) === 1;
  }

  async list(filter: ListFilter = {}): Promise<readonly InboxRow[]> {
    const db = await this.#open();
    const conditions: [string, unknown][] = [
      ["status = ?", filter.status],
      ["received_at >= ?", filter.since],
      ["received_at < ?", filter.until],
      ["id > ?", filter.afterId],
    ];
    const used = conditions.filter(([, value]) => value !== undefined);
    const where = used.map(([sql]) => sql);
    const params = [...used.map(([, value]) => value), filter.limit ?? 100];
    const sql = `SELECT * FROM impact_inbox ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT ?`;
    return (this.#statement(db, sql).all(...params) as SelectedRow[]).map(toInboxRow);
  }

  async get(id: number): Promise<InboxRow | undefined> {
    const db = await this.#open();
    const row = this.#statement(db, "SELECT * FROM impact_inbox WHERE id = ?").get(id) as SelectedRow | undefined;
    return row === undefined ? undefined : toInboxRow(row);
  }

  async retry(target: readonly number[] | "dead"): Promise<number> {
    const db = await this.#open();
    const now = Date.now();
    const set = `SET status = 'pending', attempts = 0, available_at = ?, lease_until = NULL, lease_token = NULL, updated_at = ?`;
    if (target === "dead") {
      return Number(this.#statement(db, `UPDATE impact_inbox ${set} WHERE status = 'dead'`).run(now, now).changes);
    }
    const one = this.#statement(
      db,
      `UPDATE impact_inbox ${set} WHERE id = ? AND status IN ('dead', 'done', 'pending')`,
    );
    return this.#transaction(db, () => target.reduce((n, id) => n + Number(one.run(now, now, id).changes), 0));
  }

  async prune(before: number): Promise<number> {
    const db = await this.#open();
    const prune = this.#statement(
      db,
      "DELETE FROM impact_inbox WHERE status IN ('done', 'dead', 'rejected') AND received_at < ?",
    );
    return Number(prune.run(before).changes);
  }

  async counts(): Promise<Readonly<Record<InboxStatus, number>>> {
    const db = await this.#open();
    const rows = this.#statement(db, "SELECT status, count(*) AS n FROM impact_inbox GROUP BY status").all() as {
      status: InboxStatus;
      n: number;
    }[];
    const counts = Object.fromEntries(INBOX_STATUSES.map((s) => [s, 0])) as Record<InboxStatus, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const db = this.#db;
    this.#db = undefined;
    this.#statements.clear();
    // A file that never opened has nothing to close.
    if (db !== undefined) (await db.catch(() => undefined))?.close();
  }
}
