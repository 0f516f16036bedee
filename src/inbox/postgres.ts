/**
 * The PostgreSQL inbox store (`InboxStore`, src/inbox/store.ts), on `pg`. Several receivers and
 * workers may share one database: every lease, retry and expiry is decided by the server's clock
 * and by row locks, never by a process's own state.
 *
 * `pg` is an optional peer dependency: it is imported on first use, so that importing this module
 * (or impact-event-notifications/inbox, for SQLite) never requires it.
 */
import type { Pool, PoolClient, PoolConfig } from "pg";
import { type SelectedRow, toInboxRow } from "./row.js";
import type { InsertOutcome, LeasedRow, ListFilter } from "./store.js";
import { INBOX_STATUSES, type InboxEntry, type InboxStatus, type InboxStore } from "./store.js";

export interface PostgresInboxOptions {
  /** `postgres://user:password@host:port/database`; a pool is made from it, and ended by `close()`. */
  readonly connectionString?: string;
  /** Your own pool instead (shared with the rest of your app): `close()` leaves it open, and its "error" event is yours to handle. */
  readonly pool?: Pool;
  /** Default `impact_inbox`; its migrations are recorded in `<table>_migrations`. */
  readonly table?: string;
  /** Default: the connection's search_path. Created by `migrate()` when missing. */
  readonly schema?: string;
}

export const DEFAULT_POSTGRES_TABLE = "impact_inbox";

/**
 * Held by `migrate()` for its transaction (`pg_advisory_xact_lock`): instances starting at once
 * queue behind one another. Without it two sessions both pass CREATE TABLE IF NOT EXISTS (neither
 * sees the other's uncommitted table) and the second fails on a duplicate key in the catalog.
 * Fixed rather than per table: migrations are rare and brief.
 */
const MIGRATION_LOCK = 7_120_546_117_914_820_931n;

/** Identifiers are spliced into SQL, so only plain ones; 48 bytes leave room for the index names (63 at most). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/**
 * The schema, one entry per version, applied in order and never edited once released: a later
 * version is appended (e.g. `ALTER TABLE`), so that databases at any earlier version catch up.
 */
function migrations(t: Names): readonly { readonly version: number; readonly statements: readonly string[] }[] {
  return [
    {
      version: 1,
      statements: [
        `CREATE TABLE ${t.table} (
          id BIGSERIAL PRIMARY KEY,
          key TEXT NOT NULL UNIQUE,
          status TEXT NOT NULL,
          received_at TIMESTAMPTZ NOT NULL,
          method TEXT NOT NULL,
          target TEXT NOT NULL,
          headers JSONB NOT NULL,
          body BYTEA NOT NULL,
          body_truncated BOOLEAN NOT NULL,
          peer TEXT,
          contract TEXT,
          delivery TEXT,
          notification JSONB,
          notification_key TEXT,
          order_key TEXT,
          verdict JSONB,
          attempts INTEGER NOT NULL DEFAULT 0,
          duplicates INTEGER NOT NULL DEFAULT 0,
          available_at TIMESTAMPTZ NOT NULL,
          lease_until TIMESTAMPTZ,
          lease_token TEXT,
          last_error TEXT,
          updated_at TIMESTAMPTZ NOT NULL
        )`,
        // lease: pending rows by availability, expired leases; list by status.
        `CREATE INDEX ${t.index("status_available")} ON ${t.table} (status, available_at, id)`,
        // lease: the earlier unfinished rows of an order key.
        `CREATE INDEX ${t.index("order_key")} ON ${t.table} (order_key, id) WHERE order_key IS NOT NULL`,
        // list since/until, prune.
        `CREATE INDEX ${t.index("received_at")} ON ${t.table} (received_at)`,
      ],
    },
  ];
}

interface Names {
  readonly schema: string | undefined;
  readonly table: string;
  readonly migrations: string;
  index(suffix: string): string;
}

function namesOf(options: PostgresInboxOptions): Names {
  const table = options.table ?? DEFAULT_POSTGRES_TABLE;
  for (const [what, name] of [
    ["table", table],
    ["schema", options.schema],
  ] as const) {
    if (name !== undefined && !IDENTIFIER.test(name))
      throw new TypeError(
        `postgresInbox: ${what} ${JSON.stringify(name)} must be a plain identifier (letters, digits, _; at most 48, not starting with a digit)`,
      );
  }
  const qualify = (name: string) => (options.schema === undefined ? `"${name}"` : `"${options.schema}"."${name}"`);
  return {
    schema: options.schema,
    table: qualify(table),
    migrations: qualify(`${table}_migrations`),
    // Index names live in the table's schema implicitly: CREATE INDEX takes no schema in its name.
    index: (suffix) => `"${table}_${suffix}_idx"`,
  };
}

/**
 * Every column as text or a number the default `pg` parsers never touch: a pool you pass may have
 * its own type parsers (int8 as BigInt, timestamptz as strings), and rows must read the same anyway.
 */
const COLUMNS = `id::text AS id, key, status,
  floor(extract(epoch FROM received_at) * 1000)::float8 AS received_at,
  method, target, headers::text AS headers, body, body_truncated, peer, contract, delivery,
  notification::text AS notification, notification_key, order_key, verdict::text AS verdict,
  attempts, duplicates,
  floor(extract(epoch FROM available_at) * 1000)::float8 AS available_at,
  floor(extract(epoch FROM lease_until) * 1000)::float8 AS lease_until,
  lease_token, last_error,
  floor(extract(epoch FROM updated_at) * 1000)::float8 AS updated_at`;

/**
 * PostgreSQL text cannot hold U+0000, and jsonb refuses `\u0000` and unpaired surrogate escapes
 * (which JSON.parse accepts in a POST body): either would fail the whole group commit, every
 * request in it answered 5xx and retried forever. They become U+FFFD instead; the request's body
 * and target keep the exact bytes, so nothing is lost for a replay.
 */
function text<T extends string | undefined>(value: T): T {
  return (value === undefined ? undefined : value.replaceAll("\0", "\uFFFD")) as T;
}

/** JSON.stringify escapes exactly the characters jsonb refuses; an escaped backslash before them is kept. */
const JSONB_REFUSED = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

function jsonb(value: unknown): string | undefined {
  const json = JSON.stringify(value) as string | undefined;
  return json?.replace(JSONB_REFUSED, "$1\\ufffd");
}

/** Durations and instants reach SQL as float8: NaN or a negative would make a nonsense time, not an error. */
function milliseconds(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}

const NO_HOST = "no-host.invalid";

/** `host:port/database` from what `pg` would connect to; the user and password left out. */
export function postgresLocation(config: PoolConfig | string | undefined): string {
  const env = process.env;
  let host: string | undefined;
  let port: string | undefined;
  let database: string | undefined;
  let user: string | undefined;
  const source = typeof config === "string" ? config : config?.connectionString;
  if (source !== undefined && /^postgres(?:ql)?:\/\//i.test(source)) {
    try {
      // `postgres://user@/db?host=/run/postgresql` (a socket) has no host, which URL refuses.
      const url = new URL(source.replace(/^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)(?=[/?#]|$)/i, `$1${NO_HOST}`));
      const hostname = url.hostname === NO_HOST || url.hostname === "" ? undefined : decodeURIComponent(url.hostname);
      host = url.searchParams.get("host") ?? hostname;
      port = url.port === "" ? undefined : url.port;
      database = url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined;
      user = url.username === "" ? undefined : decodeURIComponent(url.username);
    } catch {
      // An unparsable string still names a server pg will report on; say only that it is one.
      return "postgres (unparsed connection string)";
    }
  } else if (source !== undefined) {
    // Keyword/value form: host=… port=… dbname=…
    for (const [, name, raw] of source.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)) {
      const value = raw?.startsWith("'") ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
      if (name === "host") host = value;
      else if (name === "port") port = value;
      else if (name === "dbname") database = value;
      else if (name === "user") user = value;
    }
  }
  if (typeof config === "object") {
    host ??= config.host;
    port ??= config.port === undefined ? undefined : String(config.port);
    database ??= config.database;
    user ??= config.user;
  }
  host ??= env.PGHOST ?? "localhost";
  port ??= env.PGPORT ?? "5432";
  database ??= env.PGDATABASE ?? user ?? env.PGUSER ?? env.USER ?? "postgres";
  return `${host}:${port}/${database}`;
}

/**
 * The PostgreSQL inbox store (PostgreSQL 13 or later: lease tokens come from `gen_random_uuid()`).
 * Call `migrate()` once before use (safe from every instance at start-up).
 *
 * @example
 *   const store = postgresInbox({ connectionString: process.env.DATABASE_URL });
 *   await store.migrate();
 */
export function postgresInbox(options: PostgresInboxOptions): InboxStore {
  const names = namesOf(options);
  const t = names.table;
  if (options.pool === undefined && options.connectionString === undefined)
    throw new TypeError("postgresInbox: pass connectionString or pool");
  const owned = options.pool === undefined;
  let pool: Promise<Pool> | undefined = options.pool === undefined ? undefined : Promise.resolve(options.pool);
  let closed = false;

  const getPool = (): Promise<Pool> => {
    if (closed) return Promise.reject(new Error(`postgresInbox (${location}): the store is closed`));
    pool ??= import("pg").then(
      ({ default: pg }) => {
        const made = new pg.Pool({ connectionString: options.connectionString });
        // An idle connection that breaks (server restart, network) is reported by the next query that
        // needs one; without a listener the pool's "error" event would end the process instead.
        made.on("error", () => {});
        return made;
      },
      (error: unknown) => {
        const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
        throw new Error(`postgresInbox needs pg (npm install pg@8): ${reason}`, { cause: error });
      },
    );
    return pool;
  };

  const query = async <R extends object>(sql: string, values: readonly unknown[] = []) =>
    (await getPool()).query<R>(sql, values as unknown[]);

  /** Rows changed; counted by the server, so a large prune sends no ids back. */
  const changed = async (sql: string, values: readonly unknown[] = []) => (await query(sql, values)).rowCount ?? 0;

  /**
   * BEGIN … COMMIT on one connection; a connection that broke, or whose ROLLBACK failed, is
   * discarded, not reused. A checked-out client has no "error" listener of the pool's: one that
   * dies between two statements would otherwise end the process.
   */
  const transaction = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    const client = await (await getPool()).connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const value = await work(client);
      await client.query("COMMIT");
      return value;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback: Error) => {
        broken = rollback;
      });
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  };

  const location = postgresLocation(options.pool?.options ?? options.connectionString);

  return {
    dialect: "postgres",
    location,

    async migrate() {
      await transaction(async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK.toString()]);
        if (names.schema !== undefined) {
          // Only when missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
          const found = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [names.schema]);
          if (found.rowCount === 0) await client.query(`CREATE SCHEMA "${names.schema}"`);
        }
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${names.migrations} (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`,
        );
        const applied = await client.query<{ version: number }>(
          `SELECT coalesce(max(version), 0)::int AS version FROM ${names.migrations}`,
        );
        const current = Number(applied.rows[0]?.version ?? 0);
        for (const migration of migrations(names)) {
          if (migration.version <= current) continue;
          for (const statement of migration.statements) await client.query(statement);
          await client.query(`INSERT INTO ${names.migrations} (version, applied_at) VALUES ($1, now())`, [
            migration.version,
          ]);
        }
      });
    },

    async insert(entries) {
      if (entries.length === 0) return [];
      // Serialised before the transaction: an entry that cannot be stored fails the batch untouched.
      const first = new Map<string, InboxEntry>();
      const occurrences = new Map<string, number>();
      for (const entry of entries) {
        const key = text(entry.key);
        if (!first.has(key)) first.set(key, entry);
        occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
      }
      const unique = [...first.entries()];
      const columns = {
        key: unique.map(([key]) => key),
        status: unique.map(([, e]) => e.status),
        receivedAt: unique.map(([, e]) => milliseconds("request.receivedAt", e.request.receivedAt)),
        method: unique.map(([, e]) => text(e.request.method)),
        target: unique.map(([, e]) => text(e.request.target)),
        headers: unique.map(([, e]) => jsonb(e.request.headers)),
        body: unique.map(([, e]) =>
          Buffer.from(e.request.body.buffer, e.request.body.byteOffset, e.request.body.byteLength),
        ),
        bodyTruncated: unique.map(([, e]) => e.request.bodyTruncated),
        peer: unique.map(([, e]) => text(e.request.peer)),
        contract: unique.map(([, e]) => text(e.contract)),
        delivery: unique.map(([, e]) => e.delivery),
        notification: unique.map(([, e]) => jsonb(e.notification)),
        notificationKey: unique.map(([, e]) => text(e.notificationKey)),
        orderKey: unique.map(([, e]) => text(e.orderKey)),
        verdict: unique.map(([, e]) => jsonb(e.verdict)),
      };
      const ids = await transaction(async (client) => {
        // One statement whatever the batch size: arrays are 15 parameters, far from the 65 535 limit
        // a VALUES list would reach at 4 369 entries. ORDER BY ord: ids follow arrival order, which
        // is the processing order of an order key.
        const inserted = await client.query<{ id: string; key: string }>(
          `INSERT INTO ${t} (key, status, received_at, method, target, headers, body, body_truncated, peer,
             contract, delivery, notification, notification_key, order_key, verdict, available_at, updated_at)
           SELECT u.key, u.status, to_timestamp(u.received_ms / 1000), u.method, u.target, u.headers::jsonb,
             u.body, u.body_truncated, u.peer, u.contract, u.delivery, u.notification::jsonb,
             u.notification_key, u.order_key, u.verdict::jsonb, now(), now()
           FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::bytea[],
             $8::boolean[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
             WITH ORDINALITY AS u(key, status, received_ms, method, target, headers, body, body_truncated, peer,
               contract, delivery, notification, notification_key, order_key, verdict, ord)
           ORDER BY u.ord
           ON CONFLICT (key) DO NOTHING
           RETURNING id::text AS id, key`,
          Object.values(columns),
        );
        const ids = new Map<string, { id: number; duplicate: boolean }>();
        for (const row of inserted.rows) ids.set(row.key, { id: Number(row.id), duplicate: false });
        // Every later occurrence is a duplicate: of a row stored before, or of the one just inserted.
        const repeated = [...occurrences].flatMap(([key, n]) => {
          const extra = ids.has(key) ? n - 1 : n;
          return extra > 0 ? [[key, extra] as const] : [];
        });
        if (repeated.length > 0) {
          const updated = await client.query<{ id: string; key: string }>(
            `UPDATE ${t} AS t SET duplicates = t.duplicates + d.n
             FROM unnest($1::text[], $2::int[]) AS d(key, n) WHERE t.key = d.key
             RETURNING t.id::text AS id, t.key`,
            [repeated.map(([key]) => key), repeated.map(([, n]) => n)],
          );
          for (const row of updated.rows)
            if (!ids.has(row.key)) ids.set(row.key, { id: Number(row.id), duplicate: true });
          // Stored when the INSERT ran, gone by the UPDATE: pruned in between. Fail the batch; its retry inserts it.
          const missing = repeated.find(([key]) => !ids.has(key));
          if (missing !== undefined) throw new Error(`inbox row ${JSON.stringify(missing[0])} vanished during insert`);
        }
        return ids;
      });
      const seen = new Set<string>();
      return entries.map((entry): InsertOutcome => {
        const key = text(entry.key);
        const stored = ids.get(key) as { id: number; duplicate: boolean };
        const duplicate = stored.duplicate || seen.has(key);
        seen.add(key);
        return { id: stored.id, duplicate };
      });
    },

    async lease(limit, leaseMs) {
      if (!Number.isInteger(limit) || limit < 0)
        throw new RangeError(`lease limit must be an integer ≥ 0, got ${limit}`);
      milliseconds("leaseMs", leaseMs);
      if (limit === 0) return [];
      // READ COMMITTED, many workers at once. The candidates are locked in a MATERIALIZED CTE: a
      // sub-select in `WHERE id IN (…)` may be run again by the planner (a rescanned semi-join),
      // and each run skips other rows, so more than `limit` could be taken. SKIP LOCKED: a row
      // another worker is taking is left to it. A row changed and committed since this statement's
      // snapshot is re-checked by FOR UPDATE against its new version (now leased: dropped); the
      // outer WHERE repeats the check for the UPDATE's own re-read.
      //
      // Order keys: a row is taken only when no earlier row of its key is unfinished, and no other
      // row of its key is under a live lease (after `retry` made an earlier row pending again while
      // a later one runs). The snapshot can only be behind, and rows only move towards finished,
      // so a stale snapshot makes this stricter, never looser. Two rows of one key in one
      // statement: the later one has the earlier one unfinished, so it is never a candidate.
      const leased = await query<SelectedRow & { lease_token: string }>(
        `WITH picked AS MATERIALIZED (
           SELECT i.id AS picked_id FROM ${t} AS i
           WHERE ((i.status = 'pending' AND i.available_at <= now()) OR (i.status = 'leased' AND i.lease_until < now()))
             AND (i.order_key IS NULL OR NOT EXISTS (
               SELECT 1 FROM ${t} AS o
               WHERE o.order_key = i.order_key AND o.id <> i.id
                 AND ((o.id < i.id AND o.status IN ('pending', 'leased'))
                   OR (o.status = 'leased' AND o.lease_until >= now()))))
           ORDER BY i.id
           LIMIT $1
           FOR UPDATE SKIP LOCKED
         )
         UPDATE ${t} AS t
         SET status = 'leased', lease_until = now() + $2::float8 * interval '1 millisecond',
           lease_token = gen_random_uuid()::text, attempts = t.attempts + 1, updated_at = now()
         FROM picked
         WHERE t.id = picked.picked_id
           AND ((t.status = 'pending' AND t.available_at <= now()) OR (t.status = 'leased' AND t.lease_until < now()))
         RETURNING ${COLUMNS}`,
        [limit, leaseMs],
      );
      // RETURNING comes in no particular order.
      return leased.rows
        .map((r): LeasedRow => ({ ...toInboxRow(r), token: r.lease_token }))
        .sort((a, b) => a.id - b.id);
    },

    async complete(id, token) {
      const n = await changed(
        `UPDATE ${t} SET status = 'done', lease_until = NULL, lease_token = NULL, updated_at = now()
         WHERE id = $1 AND lease_token = $2 AND status = 'leased'`,
        [id, token],
      );
      return n > 0;
    },

    async fail(id, token, error, retryInMs) {
      if (retryInMs !== undefined) milliseconds("retryInMs", retryInMs);
      const n = await changed(
        `UPDATE ${t} SET
           status = CASE WHEN $4::float8 IS NULL THEN 'dead' ELSE 'pending' END,
           available_at = CASE WHEN $4::float8 IS NULL THEN available_at
             ELSE now() + $4::float8 * interval '1 millisecond' END,
           last_error = $3, lease_until = NULL, lease_token = NULL, updated_at = now()
         WHERE id = $1 AND lease_token = $2 AND status = 'leased'`,
        [id, token, text(error), retryInMs ?? null],
      );
      return n > 0;
    },

    async list(filter: ListFilter = {}) {
      const limit = filter.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 0)
        throw new RangeError(`list limit must be an integer ≥ 0, got ${limit}`);
      const rows = await query<SelectedRow>(
        // r.id, not id: ORDER BY prefers the output column, the text id of COLUMNS (1, 10, 100, 2, …).
        `SELECT ${COLUMNS} FROM ${t} AS r
         WHERE ($1::text IS NULL OR status = $1::text)
           AND ($2::float8 IS NULL OR received_at >= to_timestamp($2::float8 / 1000))
           AND ($3::float8 IS NULL OR received_at < to_timestamp($3::float8 / 1000))
           AND ($4::int8 IS NULL OR id > $4::int8)
         ORDER BY r.id LIMIT $5`,
        [filter.status ?? null, filter.since ?? null, filter.until ?? null, filter.afterId ?? null, limit],
      );
      return rows.rows.map(toInboxRow);
    },

    async get(id) {
      const rows = await query<SelectedRow>(`SELECT ${COLUMNS} FROM ${t} WHERE id = $1`, [id]);
      return rows.rows[0] === undefined ? undefined : toInboxRow(rows.rows[0]);
    },

    retry(target) {
      // Never a leased row (its worker still runs it) nor a rejected one (there is nothing to run).
      return changed(
        `UPDATE ${t} SET status = 'pending', attempts = 0, available_at = now(), lease_until = NULL,
           lease_token = NULL, updated_at = now()
         WHERE ${target === "dead" ? "status = 'dead'" : "id = ANY($1::int8[]) AND status IN ('dead', 'done')"}`,
        target === "dead" ? [] : [[...target]],
      );
    },

    prune(before) {
      return changed(
        `DELETE FROM ${t}
         WHERE status IN ('done', 'dead', 'rejected') AND received_at < to_timestamp($1::float8 / 1000)`,
        [before],
      );
    },

    async counts() {
      const rows = await query<{ status: string; n: string }>(
        `SELECT status, count(*)::text AS n FROM ${t} GROUP BY status`,
      );
      const counts = Object.fromEntries(INBOX_STATUSES.map((status) => [status, 0])) as Record<InboxStatus, number>;
      for (const row of rows.rows) if (row.status in counts) counts[row.status as InboxStatus] = Number(row.n);
      return counts;
    },

    async close() {
      if (closed) return;
      closed = true;
      // A pool never made (pg missing) has nothing to end; the calls already said why.
      if (owned && pool !== undefined) await (await pool.catch(() => undefined))?.end();
    },
  };
}
