/**
 * postgresInbox against a real PostgreSQL server (test/helpers/use-postgres.ts: this machine's
 * binaries, or IMPACT_TEST_POSTGRES_URL): the store contract, the schema it creates, migrations
 * racing at start-up, and workers on separate connections racing for rows.
 */
import { execFileSync } from "node:child_process";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { RequestRecord } from "../../src/handler/recorder.js";
import { createInbox } from "../../src/inbox/create-inbox.js";
import { postgresInbox, postgresLocation } from "../../src/inbox/postgres.js";
import type { InboxStore, LeasedRow } from "../../src/inbox/store.js";
import { runCli, startListen } from "../cli/cli-process.js";
import { createTestDatabase } from "../helpers/postgres.js";
import { describePostgres } from "../helpers/use-postgres.js";
import { describeStoreContract, entry } from "./store-contract.js";

let schemas = 0;
/** A schema per store: as separate as a database, and far cheaper to make. */
const freshSchema = () => `t${++schemas}_${Math.random().toString(36).slice(2, 8)}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until `check` holds: the server notices closed connections asynchronously. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return check();
}

describePostgres("postgresInbox", (postgres) => {
  describeStoreContract("postgres", async () => {
    const store = postgresInbox({ connectionString: postgres.url, schema: freshSchema() });
    return { store, close: () => store.close() };
  });

  /** Runs SQL on the file's database with a connection of its own. */
  async function sql<R extends object = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  describe("schema", () => {
    it("creates exactly the documented columns, indexes and migrations table, in the given schema and table", async () => {
      const schema = freshSchema();
      const store = postgresInbox({ connectionString: postgres.url, schema, table: "events_inbox" });
      try {
        await store.migrate();
        const columns = await sql<{ column_name: string; data_type: string; is_nullable: string }>(
          `SELECT column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_schema = $1 AND table_name = 'events_inbox' ORDER BY ordinal_position`,
          [schema],
        );
        expect(
          columns.map((c) => `${c.column_name} ${c.data_type}${c.is_nullable === "NO" ? " NOT NULL" : ""}`),
        ).toEqual([
          "id bigint NOT NULL",
          "key text NOT NULL",
          "status text NOT NULL",
          "received_at timestamp with time zone NOT NULL",
          "method text NOT NULL",
          "target text NOT NULL",
          "headers jsonb NOT NULL",
          "body bytea NOT NULL",
          "body_truncated boolean NOT NULL",
          "peer text",
          "contract text",
          "delivery text",
          "notification jsonb",
          "notification_key text",
          "order_key text",
          "verdict jsonb",
          "attempts integer NOT NULL",
          "duplicates integer NOT NULL",
          "available_at timestamp with time zone NOT NULL",
          "lease_until timestamp with time zone",
          "lease_token text",
          "last_error text",
          "updated_at timestamp with time zone NOT NULL",
        ]);
        const indexes = await sql<{ indexdef: string }>(
          "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'events_inbox' ORDER BY indexname",
          [schema],
        );
        const definitions = indexes.map((i) => i.indexdef.replace(/^.* USING btree /, ""));
        expect(definitions.sort()).toEqual(
          [
            "(id)",
            "(key)",
            "(order_key, id) WHERE (order_key IS NOT NULL)",
            "(received_at)",
            "(status, available_at, id)",
          ].sort(),
        );
        const migrations = await sql<{ version: number }>(`SELECT version FROM "${schema}".events_inbox_migrations`);
        expect(migrations).toEqual([{ version: 1 }]);
        expect(await sql(`SELECT to_regclass('public.impact_inbox') AS t`)).toEqual([{ t: null }]);
      } finally {
        await store.close();
      }
    });

    it("migrate() from 5 pools at once: every call succeeds, version 1 applied once", async () => {
      // The default table in a database of its own (the bare CREATE TABLE race), then in new schemas
      // (CREATE SCHEMA races too).
      const database = await createTestDatabase(postgres.server.url);
      try {
        for (const schema of [undefined, freshSchema(), freshSchema()]) {
          const connectionString = schema === undefined ? database.url : postgres.url;
          const stores = Array.from({ length: 5 }, () =>
            postgresInbox(schema === undefined ? { connectionString } : { connectionString, schema }),
          );
          try {
            const results = await Promise.allSettled(stores.map((store) => store.migrate()));
            expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(
              Array(5).fill("ok"),
            );
            const [id] = await (stores[0] as InboxStore).insert([entry()]);
            expect((await (stores[4] as InboxStore).get(id?.id as number))?.id).toBe(id?.id);
          } finally {
            await Promise.all(stores.map((store) => store.close()));
          }
          const client = new pg.Client({ connectionString });
          await client.connect();
          try {
            const table = schema === undefined ? "impact_inbox_migrations" : `"${schema}".impact_inbox_migrations`;
            expect((await client.query(`SELECT version FROM ${table}`)).rows).toEqual([{ version: 1 }]);
          } finally {
            await client.end();
          }
        }
      } finally {
        await database.drop();
      }
    });

    it("refuses table and schema names that are not plain identifiers, and a store with nowhere to connect", () => {
      for (const table of ["", "x; DROP TABLE y", 'a"b', "1abc", "a".repeat(49), "ümlaut"])
        expect(() => postgresInbox({ connectionString: postgres.url, table })).toThrow(TypeError);
      expect(() => postgresInbox({ connectionString: postgres.url, schema: "public.x" })).toThrow(TypeError);
      expect(() => postgresInbox({})).toThrow(TypeError);
    });
  });

  describe("connections", () => {
    it("location is host:port/database, never the user or password", () => {
      const url = new URL(postgres.url);
      url.username = "alice";
      url.password = "pa55word";
      const store = postgresInbox({ connectionString: url.toString() });
      expect(store.location).toBe(`${url.hostname}:${url.port}${url.pathname}`);
      expect(store.location).not.toMatch(/alice|pa55word/);
      expect(postgresLocation("postgresql://u:p@db.example:6543/inbox?sslmode=require")).toBe("db.example:6543/inbox");
      expect(postgresLocation("postgres://u@/inbox?host=/var/run/postgresql")).toBe("/var/run/postgresql:5432/inbox");
      expect(postgresLocation("host=db.internal port=5433 dbname='my db' user=u password=secret")).toBe(
        "db.internal:5433/my db",
      );
      expect(postgresLocation({ host: "h", port: 1234, database: "d", user: "u", password: "p" })).toBe("h:1234/d");
    });

    it("close() ends the pool it made (its connections leave the server) but never the pool it was given", async () => {
      const name = `inbox-own-${Math.random().toString(36).slice(2)}`;
      const connections = async () =>
        Number(
          (
            await sql<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1", [name])
          )[0]?.n,
        );
      const ownUrl = new URL(postgres.url);
      ownUrl.searchParams.set("application_name", name);
      const own = postgresInbox({ connectionString: ownUrl.toString(), schema: freshSchema() });
      await own.migrate();
      await Promise.all([own.counts(), own.counts(), own.list()]);
      expect(await connections()).toBeGreaterThan(0);
      await own.close();
      expect(await eventually(async () => (await connections()) === 0)).toBe(true);

      const pool = new pg.Pool({ connectionString: postgres.url });
      try {
        const given = postgresInbox({ pool, schema: freshSchema() });
        await given.migrate();
        await given.close();
        await expect(given.counts()).rejects.toThrow(/closed/);
        expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
        expect(given.location).toBe(postgresLocation(postgres.url));
      } finally {
        await pool.end();
      }
    });

    it("its idle connections killed by the server (a restart, pg_terminate_backend): the process lives on, the next call reconnects", async () => {
      const name = `inbox-killed-${Math.random().toString(36).slice(2)}`;
      const url = new URL(postgres.url);
      url.searchParams.set("application_name", name);
      const store = postgresInbox({ connectionString: url.toString(), schema: freshSchema() });
      try {
        await store.migrate();
        await Promise.all([store.counts(), store.counts(), store.list()]);
        const killed = await sql<{ ok: boolean }>(
          "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1",
          [name],
        );
        expect(killed.length).toBeGreaterThan(0);
        // Time for the pool to see the sockets close (its "error" event, unhandled, would throw).
        await sleep(200);
        await store.insert([entry()]);
        expect((await store.counts()).pending).toBe(1);
      } finally {
        await store.close();
      }
    });

    it("reads rows alike through a pool whose type parsers differ from pg's defaults", async () => {
      const raw = (value: string) => value;
      const pool = new pg.Pool({
        connectionString: postgres.url,
        // int8 as BigInt, and timestamptz, jsonb, float8, bytea left as text.
        types: { getTypeParser: ((oid: number) => (oid === 20 ? BigInt : raw)) as typeof pg.types.getTypeParser },
      });
      try {
        const store = postgresInbox({ pool, schema: freshSchema() });
        await store.migrate();
        const body = new Uint8Array([0, 1, 0xfe, 0xff]);
        const [outcome] = await store.insert([
          entry({ orderKey: "k", request: { body, receivedAt: 1_700_000_000_123 } }),
        ]);
        const [leased] = (await store.lease(1, 60_000)) as [LeasedRow];
        expect(leased).toMatchObject({ id: outcome?.id, attempts: 1, orderKey: "k", duplicates: 0 });
        expect(typeof leased.id).toBe("number");
        expect(leased.request.receivedAt).toBe(1_700_000_000_123);
        expect(typeof leased.leaseUntil).toBe("number");
        expect([...leased.request.body]).toEqual([...body]);
        expect(leased.request.headers).toEqual({ "content-type": "application/json" });
        expect(await store.counts()).toMatchObject({ leased: 1 });
        await store.close();
      } finally {
        await pool.end();
      }
    });

    it("importing the module and making a store does not load pg; the first query does, or says to install it", () => {
      const child = (script: string) =>
        JSON.parse(
          execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
            encoding: "utf8",
            cwd: new URL("../..", import.meta.url).pathname,
          }),
        );
      expect(
        child(`
          const { createRequire } = await import("node:module");
          const require = createRequire(import.meta.url);
          const loaded = () => Object.keys(require.cache).some((path) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(path));
          const { postgresInbox } = await import("./src/inbox/postgres.ts");
          const store = postgresInbox({ connectionString: "postgres://u:p@127.0.0.1:1/none" });
          const before = loaded();
          await store.counts().catch(() => {});
          await store.close();
          console.log(JSON.stringify({ before, after: loaded(), location: store.location }));
        `),
      ).toEqual({ before: false, after: true, location: "127.0.0.1:1/none" });
      // pg not installed: a resolve hook refuses it, as an absent package would.
      const refuse = `export async function resolve(specifier, context, next) {
        if (specifier === "pg") throw Object.assign(new Error("Cannot find package 'pg'"), { code: "ERR_MODULE_NOT_FOUND" });
        return next(specifier, context);
      }`;
      const missing = child(`
        const { register } = await import("node:module");
        register("data:text/javascript," + encodeURIComponent(${JSON.stringify(refuse)}));
        const { postgresInbox } = await import("./src/inbox/postgres.ts");
        const store = postgresInbox({ connectionString: "postgres://u:p@127.0.0.1:1/none" });
        const errors = [];
        for (const call of [() => store.migrate(), () => store.counts()]) await call().catch((e) => errors.push(e.message));
        await store.close();
        console.log(JSON.stringify({ errors }));
      `);
      expect(missing.errors).toHaveLength(2);
      for (const message of missing.errors)
        expect(message).toMatch(/^postgresInbox needs pg \(npm install pg@8\): Cannot find package 'pg'/);
    });
  });

  describe("PostgreSQL specifics", () => {
    it("U+0000 and unpaired surrogates become U+FFFD (text and jsonb cannot hold them); the body keeps the bytes", async () => {
      const store = postgresInbox({ connectionString: postgres.url, schema: freshSchema() });
      try {
        await store.migrate();
        const body = new TextEncoder().encode('{"Note":"a\\u0000b"}');
        const [outcome] = await store.insert([
          entry({
            key: "documented \u0000",
            notification: { Note: "a\u0000b", Lone: "\udc00", Pair: "😀", Escaped: "\\u0000" },
            request: { body, peer: "p\u0000" },
          }),
        ]);
        const row = await store.get(outcome?.id as number);
        expect(row?.key).toBe("documented \uFFFD");
        expect(row?.notification).toEqual({ Note: "a\uFFFDb", Lone: "\uFFFD", Pair: "😀", Escaped: "\\u0000" });
        expect(row?.request.peer).toBe("p\uFFFD");
        expect([...(row?.request.body ?? [])]).toEqual([...body]);
        expect(await store.insert([entry({ key: "documented \u0000" })])).toEqual([
          { id: outcome?.id, duplicate: true },
        ]);
      } finally {
        await store.close();
      }
    });

    it("inserts 5 000 entries in one batch (one statement, far past the 65 535-parameter limit of a VALUES list)", async () => {
      const store = postgresInbox({ connectionString: postgres.url, schema: freshSchema() });
      try {
        await store.migrate();
        const entries = Array.from({ length: 5000 }, (_, i) => entry({ orderKey: `k${i % 7}` }));
        const outcomes = await store.insert([...entries, entries[0] as (typeof entries)[0]]);
        expect(outcomes).toHaveLength(5001);
        const inserted = outcomes.slice(0, 5000).map((o) => o.id);
        expect(inserted).toEqual([...inserted].sort((a, b) => a - b));
        expect(new Set(inserted).size).toBe(5000);
        expect(outcomes[5000]).toEqual({ id: inserted[0], duplicate: true });
        expect((await store.counts()).pending).toBe(5000);
      } finally {
        await store.close();
      }
    });
  });

  describe("workers racing on separate connections", () => {
    it("never runs one row twice at the same time, nor two rows of one order key; every row completes once, in key order", async () => {
      const schema = freshSchema();
      const seed = postgresInbox({ connectionString: postgres.url, schema });
      const WORKERS = 4;
      const ROWS = 500;
      const KEYS = 50;
      const workers = Array.from({ length: WORKERS }, (_, w) => {
        const url = new URL(postgres.url);
        url.searchParams.set("application_name", `inbox-worker-${w}`);
        return postgresInbox({ connectionString: url.toString(), schema });
      });
      try {
        await seed.migrate();
        // Keys drawn at random (seeded, so a failure repeats), one row in eleven with no key: rows
        // of one key often sit close together, so one lease call, or workers leasing at once,
        // could take two of them; each key still gets several rows.
        let seed32 = 20_240_601;
        const random = () => {
          seed32 = (Math.imul(seed32, 1_103_515_245) + 12_345) >>> 0;
          return seed32 / 2 ** 32;
        };
        const rows = Array.from({ length: ROWS }, (_, i) =>
          entry({ orderKey: i < KEYS ? `K${i}` : i % 11 === 10 ? undefined : `K${Math.floor(random() * KEYS)}` }),
        );
        const orderKeyOf = new Map<number, string | undefined>();
        for (let i = 0; i < ROWS; i += 50) {
          const batch = rows.slice(i, i + 50);
          const outcomes = await seed.insert(batch);
          outcomes.forEach((o, j) => {
            orderKeyOf.set(o.id, batch[j]?.orderKey);
          });
        }

        interface Run {
          readonly worker: number;
          readonly id: number;
          readonly start: number;
          end: number;
          completed: boolean | undefined;
        }
        const runs: Run[] = [];
        let completed = 0;
        // Inside the 30 s test timeout, so that a stuck run reports its counts rather than a timeout.
        const deadline = Date.now() + 20_000;
        const work = async (worker: number, store: InboxStore) => {
          for (let round = 0; round < 5000 && completed < ROWS && Date.now() < deadline; round++) {
            const leased = await store.lease(1 + Math.floor(Math.random() * 8), 60_000);
            if (leased.length === 0) {
              await sleep(Math.random() * 3);
              continue;
            }
            await Promise.all(
              leased.map(async (row) => {
                const run: Run = { worker, id: row.id, start: performance.now(), end: 0, completed: undefined };
                runs.push(run);
                // Held for a while, so that a second holder would overlap.
                await sleep(Math.random() * 4);
                run.end = performance.now();
                run.completed = await store.complete(row.id, row.token);
                if (run.completed) completed++;
              }),
            );
          }
        };
        await Promise.all(workers.map((store, w) => work(w, store)));

        expect(completed).toBe(ROWS);
        expect(runs.filter((r) => r.completed !== true)).toEqual([]);
        const perRow = new Map<number, Run[]>();
        for (const run of runs) perRow.set(run.id, [...(perRow.get(run.id) ?? []), run]);
        expect(perRow.size).toBe(ROWS);
        expect([...perRow].filter(([, r]) => r.length !== 1).map(([id]) => id)).toEqual([]);

        const perKey = new Map<string, Run[]>();
        for (const run of runs) {
          const key = orderKeyOf.get(run.id);
          if (key !== undefined) perKey.set(key, [...(perKey.get(key) ?? []), run]);
        }
        expect(perKey.size).toBe(KEYS);
        const problems: string[] = [];
        for (const [key, keyRuns] of perKey) {
          const byStart = [...keyRuns].sort((a, b) => a.start - b.start);
          for (let i = 1; i < byStart.length; i++) {
            const before = byStart[i - 1] as Run;
            const after = byStart[i] as Run;
            if (after.start < before.end)
              problems.push(
                `${key}: row ${after.id} (worker ${after.worker}) started while row ${before.id} (worker ${before.worker}) ran`,
              );
            if (after.id < before.id) problems.push(`${key}: row ${after.id} ran after row ${before.id}`);
          }
        }
        expect(problems).toEqual([]);
        // Several workers really took part.
        expect(new Set(runs.map((r) => r.worker)).size).toBeGreaterThan(1);

        const stored = [];
        for (let afterId = 0; ; ) {
          const page = await seed.list({ afterId, limit: 100 });
          if (page.length === 0) break;
          stored.push(...page);
          afterId = page.at(-1)?.id as number;
        }
        expect(stored.filter((r) => r.status !== "done" || r.attempts !== 1).map((r) => r.id)).toEqual([]);
        expect(await seed.counts()).toEqual({ pending: 0, leased: 0, done: ROWS, dead: 0, rejected: 0 });
      } finally {
        await Promise.all([seed, ...workers].map((store) => store.close()));
      }
    });
  });

  describe("createInbox on two instances", () => {
    /** An accepted notification's record, as createNodeHandler hands it to the inbox. */
    const accepted = (actionId: string): RequestRecord =>
      ({
        request: {
          method: "GET",
          target: `/impact?action_id=${actionId}`,
          headers: {},
          body: new Uint8Array(),
          bodyTruncated: false,
          peer: "192.0.2.10",
          receivedAt: Date.now(),
        },
        verdict: { ok: true, contract: "documented", delivery: "GET", notification: { action_id: actionId } },
        contract: undefined,
      }) as unknown as RequestRecord;

    const deadlocks = async () =>
      Number(
        (
          await sql<{ deadlocks: string }>("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        )[0]?.deadlocks,
      );

    it("two instances storing the same notifications in opposite orders deadlock, and the victim's batch is tried again: nothing fails, each stored once", async () => {
      const schema = freshSchema();
      const a = await createInbox(postgresInbox({ connectionString: postgres.url, schema }));
      const b = await createInbox(postgresInbox({ connectionString: postgres.url, schema }));
      try {
        const before = await deadlocks();
        let seen = 0;
        // Bounded: each round is one batch per instance, which meet in the middle of their keys.
        for (let round = 0; round < 5 && seen === 0; round++) {
          const ids = Array.from({ length: 400 }, (_, i) => `${round}.${i}`);
          const settled = await Promise.allSettled([
            ...ids.map((id) => a.record(accepted(id))),
            ...ids.toReversed().map((id) => b.record(accepted(id))),
          ]);
          const failed = settled.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
          expect([...new Set(failed)]).toEqual([]);
          const stored = settled.filter((o) => o.status === "fulfilled" && !o.value.duplicate);
          expect(stored, `round ${round}`).toHaveLength(ids.length);
          // pg_stat_database is updated when a backend reports, shortly after its transaction.
          await eventually(async () => (await deadlocks()) > before, 3000);
          seen = (await deadlocks()) - before;
        }
        expect(seen, "deadlocks PostgreSQL counted").toBeGreaterThan(0);
        expect(a.counters.failedWrites + b.counters.failedWrites).toBe(0);
        expect((await a.counts()).pending).toBe(a.counters.recorded + b.counters.recorded);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    }, 60_000);
  });

  describe("the CLI on PostgreSQL", () => {
    it("listen --inbox postgres://… stores what it acknowledges, and inbox list reads it back", async () => {
      const listen = await startListen(["--inbox", postgres.url, "--secret", "s3cret"]);
      try {
        const sent = await runCli(["send", "--to", listen.url, "--secret", "s3cret", "--seed", "7", "--count", "3"]);
        expect(sent.code, sent.stderr).toBe(0);
        const again = await runCli(["send", "--to", listen.url, "--secret", "s3cret", "--seed", "7"]);
        expect(again.code, again.stderr).toBe(0);
      } finally {
        expect(await listen.stop("SIGTERM")).toBe(0);
      }
      expect(listen.stdout().match(/stored #\d+/g)).toHaveLength(3);
      expect(listen.stdout()).toMatch(/duplicate of #\d+/);
      const listed = await runCli(["inbox", "list", "--inbox", postgres.url, "--json"]);
      expect(listed.code, listed.stderr).toBe(0);
      const rows = listed.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { status: string; duplicates: number });
      expect(rows.map((r) => r.status)).toEqual(["pending", "pending", "pending"]);
      expect(rows.reduce((n, r) => n + r.duplicates, 0)).toBe(1);
    }, 60_000);
  });
});
