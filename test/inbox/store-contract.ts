/**
 * The `InboxStore` contract (src/inbox/store.ts), run against every store: the same cases on
 * SQLite (test/inbox/sqlite-store.test.ts) and PostgreSQL (test/inbox/postgres-store.test.ts), so
 * that `createInbox` behaves alike on both. Only the interface is used: no SQL, no table access.
 *
 * Times the store sets come from its own clock (PostgreSQL's: the server's), so they are compared
 * with each other (leaseUntil − updatedAt), or elapsed durations measured here, never with
 * Date.now(). Waits for lease expiry are short sleeps past a short lease (50 ms); the checks that
 * something is *not* leasable use long leases and delays, so a slow machine cannot flake them.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  INBOX_STATUSES,
  type InboxEntry,
  type InboxRow,
  type InboxStore,
  type LeasedRow,
  type StoredRequest,
} from "../../src/inbox/store.js";

export interface OpenedStore {
  /** A store over an empty database (or schema) of its own; the suite calls `migrate()`. */
  readonly store: InboxStore;
  /** Closes the store (again, if the test did) and frees what `open` made. */
  close(): Promise<void>;
}

const LONG = 60_000;
const T0 = 1_700_000_000_123;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let counter = 0;

interface EntryOptions extends Partial<Omit<InboxEntry, "request">> {
  readonly request?: Partial<StoredRequest>;
}

/** An accepted entry with a unique key, unless told otherwise. */
export function entry(options: EntryOptions = {}): InboxEntry {
  counter += 1;
  const { request, ...rest } = options;
  const key = rest.key ?? `documented ${counter}-${Math.random().toString(36).slice(2)}`;
  return {
    key,
    status: "pending",
    contract: "documented",
    delivery: "POST",
    notification: { ActionId: `A-${counter}`, Amount: "12.50" },
    notificationKey: key,
    orderKey: undefined,
    verdict: undefined,
    ...rest,
    request: {
      method: "POST",
      target: "/impact?secret=s3cret",
      headers: { "content-type": "application/json" },
      body: new TextEncoder().encode(`{"n":${counter}}`),
      bodyTruncated: false,
      peer: "192.0.2.10",
      receivedAt: T0,
      ...request,
    },
  };
}

function rejected(options: EntryOptions = {}): InboxEntry {
  return entry({
    status: "rejected",
    notification: undefined,
    notificationKey: undefined,
    verdict: { status: 401, code: "bad-secret", detail: "the secret did not match" },
    ...options,
  });
}

const ids = (rows: readonly { readonly id: number }[]) => rows.map((row) => row.id);

export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name}: InboxStore contract`, () => {
    const opened: OpenedStore[] = [];
    afterEach(async () => {
      for (const o of opened.splice(0)) await o.close();
    });

    async function fresh(): Promise<InboxStore> {
      const o = await open();
      opened.push(o);
      await o.store.migrate();
      return o.store;
    }

    /** Inserts and returns the new rows' ids, in order. */
    async function insert(store: InboxStore, entries: readonly InboxEntry[]): Promise<number[]> {
      const outcomes = await store.insert(entries);
      expect(outcomes.every((o) => !o.duplicate)).toBe(true);
      return ids(outcomes);
    }

    async function row(store: InboxStore, id: number): Promise<InboxRow> {
      const found = await store.get(id);
      if (found === undefined) throw new Error(`row ${id} not found`);
      return found;
    }

    async function leaseOne(store: InboxStore, leaseMs = LONG): Promise<LeasedRow> {
      const [leased, ...more] = await store.lease(1, leaseMs);
      expect(more).toEqual([]);
      if (leased === undefined) throw new Error("nothing leased");
      return leased;
    }

    describe("migrate and metadata", () => {
      it("names its dialect and location; migrate() again keeps the rows", async () => {
        const store = await fresh();
        expect(["sqlite", "postgres"]).toContain(store.dialect);
        expect(store.location).toMatch(/\S/);
        const [id] = await insert(store, [entry()]);
        await store.migrate();
        await store.migrate();
        expect((await store.get(id as number))?.id).toBe(id);
      });

      it("counts every status, 0 when empty", async () => {
        const store = await fresh();
        expect(await store.counts()).toEqual({ pending: 0, leased: 0, done: 0, dead: 0, rejected: 0 });
        expect(Object.keys(await store.counts()).sort()).toEqual([...INBOX_STATUSES].sort());
      });
    });

    describe("insert", () => {
      it("returns one outcome per entry, in order, with ids increasing in input order", async () => {
        const store = await fresh();
        expect(await store.insert([])).toEqual([]);
        const first = await store.insert([entry(), rejected(), entry()]);
        expect(first.map((o) => o.duplicate)).toEqual([false, false, false]);
        const [a, b, c] = ids(first) as [number, number, number];
        expect(a).toBeLessThan(b);
        expect(b).toBeLessThan(c);
        const [d] = await insert(store, [entry()]);
        expect(d).toBeGreaterThan(c);
        expect(await store.counts()).toEqual({ pending: 3, leased: 0, done: 0, dead: 0, rejected: 1 });
      });

      it("a stored key is a duplicate: the existing row's id, its count up, its content unchanged", async () => {
        const store = await fresh();
        const original = entry({ key: "documented K1" });
        const [id] = await insert(store, [original]);
        const again = entry({ key: "documented K1", request: { target: "/other", receivedAt: T0 + 5000 } });
        expect(await store.insert([again])).toEqual([{ id, duplicate: true }]);
        const [other] = await store.insert([entry()]);
        expect(await store.insert([again, entry({ key: "documented K2" }), again])).toEqual([
          { id, duplicate: true },
          { id: expect.any(Number), duplicate: false },
          { id, duplicate: true },
        ]);
        const stored = await row(store, id as number);
        expect(stored.duplicates).toBe(3);
        expect(stored.request.target).toBe(original.request.target);
        expect(stored.request.receivedAt).toBe(T0);
        expect((await row(store, other?.id as number)).duplicates).toBe(0);
        expect((await store.counts()).pending).toBe(3);
      });

      it("a key repeated within one batch: the first occurrence is stored, the later ones are duplicates of it", async () => {
        const store = await fresh();
        const k = entry({ key: "documented same", request: { target: "/first" } });
        const later = entry({ key: "documented same", request: { target: "/second" } });
        const outcomes = await store.insert([k, entry(), later, later]);
        const [first, middle, second, third] = outcomes as [
          { id: number; duplicate: boolean },
          { id: number; duplicate: boolean },
          { id: number; duplicate: boolean },
          { id: number; duplicate: boolean },
        ];
        expect(first.duplicate).toBe(false);
        expect(middle.duplicate).toBe(false);
        expect(first.id).toBeLessThan(middle.id);
        expect(second).toEqual({ id: first.id, duplicate: true });
        expect(third).toEqual({ id: first.id, duplicate: true });
        const stored = await row(store, first.id);
        expect(stored.duplicates).toBe(2);
        expect(stored.request.target).toBe("/first");
        expect((await store.list()).length).toBe(2);
      });

      it("duplicates of done, dead and rejected rows are counted too, their status kept", async () => {
        const store = await fresh();
        const done = entry();
        const dead = entry();
        const refused = rejected();
        await insert(store, [done, dead, refused]);
        const a = await leaseOne(store);
        await store.complete(a.id, a.token);
        const b = await leaseOne(store);
        await store.fail(b.id, b.token, "Error: no", undefined);
        const outcomes = await store.insert([done, dead, refused]);
        expect(outcomes.map((o) => o.duplicate)).toEqual([true, true, true]);
        const rows = await store.list();
        expect(rows.map((r) => [r.status, r.duplicates])).toEqual([
          ["done", 1],
          ["dead", 1],
          ["rejected", 1],
        ]);
      });

      it("a batch that cannot be stored rejects and stores nothing, duplicate counts included", async () => {
        const store = await fresh();
        const [id] = await insert(store, [entry({ key: "documented kept" })]);
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic.self = cyclic;
        await expect(
          store.insert([entry(), entry({ key: "documented kept" }), entry({ notification: cyclic })]),
        ).rejects.toThrow();
        await expect(store.insert([entry(), entry({ notification: { amount: 10n } })])).rejects.toThrow();
        expect(await store.counts()).toEqual({ pending: 1, leased: 0, done: 0, dead: 0, rejected: 0 });
        expect((await row(store, id as number)).duplicates).toBe(0);
        expect(ids(await store.list())).toEqual([id]);
      });

      it("a closed store rejects; closing again is harmless", async () => {
        const store = await fresh();
        await store.close();
        await expect(store.insert([entry()])).rejects.toThrow();
        await expect(store.list()).rejects.toThrow();
        await store.close();
      });
    });

    describe("round trip", () => {
      it("keeps every field: request bytes exactly, headers, times as ms, undefined for absent values", async () => {
        const store = await fresh();
        // Every byte value, then invalid UTF-8 (a lone continuation, a truncated sequence, an
        // encoded surrogate, an overlong NUL, bytes never valid in UTF-8), then a NUL at the end.
        const body = new Uint8Array([
          ...Array.from({ length: 256 }, (_, i) => i),
          0x80,
          0xc3,
          0x28,
          0xed,
          0xa0,
          0x80,
          0xc0,
          0x80,
          0xf8,
          0xfe,
          0xff,
          0x00,
        ]);
        const headers = {
          "content-type": "application/x-www-form-urlencoded; charset=utf-8",
          "content-length": String(body.length),
          "user-agent": "impact.com Event Notifications/1.0",
          "x-forwarded-for": "203.0.113.7, 10.0.0.1",
          "x-empty": "",
          "x-latin1": "caf\u00e9",
        };
        const notification = {
          ActionId: "1000.2000.3000",
          Amount: 12.5,
          Big: Number.MAX_SAFE_INTEGER * 1024,
          Small: 1e-7,
          Flag: true,
          Nothing: null,
          Items: [{ Sku: "é-日本-😀", Qty: 2 }],
          Quote: 'say "hi" \\ back',
        };
        const stored = entry({
          key: "documented round-trip",
          notification,
          notificationKey: "nk-1",
          orderKey: "1000.2000.3000",
          request: {
            method: "POST",
            target: "/impact/notify?secret=s3cr%C3%A9t&x=%00&y=a+b",
            headers,
            body,
            bodyTruncated: true,
            peer: "2001:db8::1",
            receivedAt: T0,
          },
        });
        const [id] = await insert(store, [stored]);
        const got = await row(store, id as number);
        expect(got.request.body).toBeInstanceOf(Uint8Array);
        expect([...got.request.body]).toEqual([...body]);
        const { body: _, ...requestFields } = got.request;
        const { body: __, ...sentFields } = stored.request;
        expect(requestFields).toEqual(sentFields);
        expect(got).toMatchObject({
          id,
          key: "documented round-trip",
          status: "pending",
          contract: "documented",
          delivery: "POST",
          notification,
          notificationKey: "nk-1",
          orderKey: "1000.2000.3000",
          attempts: 0,
          duplicates: 0,
        });
        expect(got.verdict).toBeUndefined();
        expect(got.leaseUntil).toBeUndefined();
        expect(got.lastError).toBeUndefined();
        for (const time of [got.request.receivedAt, got.availableAt, got.updatedAt]) {
          expect(typeof time).toBe("number");
          expect(Number.isFinite(time)).toBe(true);
        }
        expect(got.request.receivedAt).toBe(T0);
        // Available now (by the store's clock): its own updatedAt, within a second.
        expect(Math.abs(got.availableAt - got.updatedAt)).toBeLessThan(1000);
      });

      it("a rejected entry: its verdict, no notification, an empty body, absent values as undefined", async () => {
        const store = await fresh();
        const [id] = await insert(store, [
          rejected({
            contract: undefined,
            delivery: undefined,
            orderKey: undefined,
            request: { method: "GET", target: "/?", headers: {}, body: new Uint8Array(0), peer: undefined },
          }),
        ]);
        const got = await row(store, id as number);
        expect(got.status).toBe("rejected");
        expect(got.verdict).toEqual({ status: 401, code: "bad-secret", detail: "the secret did not match" });
        for (const value of [got.notification, got.notificationKey, got.contract, got.delivery, got.orderKey]) {
          expect(value).toBeUndefined();
        }
        expect(got.request.peer).toBeUndefined();
        expect(got.request.headers).toEqual({});
        expect(got.request.body.length).toBe(0);
        expect(got.request.method).toBe("GET");
      });

      it("a body that is a view into a larger buffer stores only its own bytes; 1 MiB round-trips", async () => {
        const store = await fresh();
        const backing = new Uint8Array(64).map((_, i) => i);
        const view = backing.subarray(10, 20);
        const big = new Uint8Array(1 << 20).map((_, i) => (i * 7919) % 256);
        const [a, b] = await insert(store, [entry({ request: { body: view } }), entry({ request: { body: big } })]);
        expect([...(await row(store, a as number)).request.body]).toEqual([...view]);
        const gotBig = (await row(store, b as number)).request.body;
        expect(gotBig.length).toBe(big.length);
        expect(Buffer.compare(Buffer.from(gotBig), Buffer.from(big))).toBe(0);
      });

      it("U+0000 and an unpaired surrogate in a notification or error text never fail the batch", async () => {
        const store = await fresh();
        const odd = entry({
          notification: { Note: "a\u0000b", Broken: "x\ud800y", "key\u0000": 1, Fine: "é" },
          notificationKey: "k\u0000",
          request: { peer: "p\u0000" },
        });
        const outcomes = await store.insert([entry(), odd, entry()]);
        expect(outcomes.map((o) => o.duplicate)).toEqual([false, false, false]);
        const got = await row(store, outcomes[1]?.id as number);
        expect((got.notification as { Fine: string }).Fine).toBe("é");
        expect(Object.keys(got.notification as object)).toHaveLength(4);
        await leaseOne(store);
        const held = await leaseOne(store);
        expect(await store.fail(held.id, held.token, "Error: bad \u0000 byte", undefined)).toBe(true);
        expect((await row(store, held.id)).lastError).toMatch(/^Error: bad . byte$/u);
      });
    });

    describe("lease", () => {
      it("takes the oldest available rows up to the limit, marks them leased with fresh tokens, counts an attempt", async () => {
        const store = await fresh();
        const inserted = await insert(store, [entry(), entry(), rejected(), entry(), entry(), entry()]);
        expect(await store.lease(0, LONG)).toEqual([]);
        const first = await store.lease(2, 5000);
        expect(ids(first)).toEqual(inserted.slice(0, 2));
        for (const leased of first) {
          expect(leased.status).toBe("leased");
          expect(leased.attempts).toBe(1);
          expect(typeof leased.token).toBe("string");
          expect(leased.token.length).toBeGreaterThan(0);
          expect(leased.leaseUntil).toBeDefined();
          expect(Math.abs((leased.leaseUntil as number) - leased.updatedAt - 5000)).toBeLessThan(50);
        }
        expect(new Set(first.map((r) => r.token)).size).toBe(2);
        const rest = await store.lease(10, LONG);
        expect(ids(rest)).toEqual(inserted.slice(3));
        expect(await store.lease(10, LONG)).toEqual([]);
        expect(await store.counts()).toEqual({ pending: 0, leased: 5, done: 0, dead: 0, rejected: 1 });
        const again = await row(store, inserted[0] as number);
        expect(again.status).toBe("leased");
        expect(again.leaseUntil).toBe(first[0]?.leaseUntil);
      });

      it("an order key's rows go one at a time, in id order; a row done or dead frees the next", async () => {
        const store = await fresh();
        const [a1, b1, a2, n1, a3, b2] = await insert(store, [
          entry({ orderKey: "A" }),
          entry({ orderKey: "B" }),
          entry({ orderKey: "A" }),
          entry(),
          entry({ orderKey: "A" }),
          entry({ orderKey: "B" }),
        ]);
        // One call could take all six: only the first of each key and the row without a key come.
        const first = await store.lease(10, LONG);
        expect(ids(first)).toEqual([a1, b1, n1]);
        expect(await store.lease(10, LONG)).toEqual([]);
        const held = new Map(first.map((r) => [r.id, r.token]));
        expect(await store.complete(a1 as number, held.get(a1 as number) as string)).toBe(true);
        const second = await store.lease(10, LONG);
        expect(ids(second)).toEqual([a2]);
        expect(await store.fail(a2 as number, second[0]?.token as string, "Error: gave up", undefined)).toBe(true);
        expect(ids(await store.lease(10, LONG))).toEqual([a3]);
        expect(await store.complete(b1 as number, held.get(b1 as number) as string)).toBe(true);
        expect(ids(await store.lease(10, LONG))).toEqual([b2]);
      });

      it("an earlier row of the key waiting for its retry, or under an expired lease, still holds the later rows back", async () => {
        const store = await fresh();
        const [a1, a2] = await insert(store, [entry({ orderKey: "A" }), entry({ orderKey: "A" })]);
        const leased = await leaseOne(store);
        expect(leased.id).toBe(a1);
        expect(await store.fail(leased.id, leased.token, "Error: later", LONG)).toBe(true);
        expect(await store.lease(10, LONG)).toEqual([]);

        const [c1, c2] = await insert(store, [entry({ orderKey: "C" }), entry({ orderKey: "C" })]);
        expect((await leaseOne(store, 50)).id).toBe(c1);
        await sleep(150);
        const again = await store.lease(10, LONG);
        expect(ids(again)).toEqual([c1]);
        expect(again[0]?.attempts).toBe(2);
        expect(ids(await store.list({ status: "pending" }))).toEqual([a1, a2, c2]);
      });

      it("a row made pending again by retry() waits while a later row of its key is held", async () => {
        const store = await fresh();
        const [a1, a2] = await insert(store, [entry({ orderKey: "A" }), entry({ orderKey: "A" })]);
        const first = await leaseOne(store);
        await store.complete(first.id, first.token);
        const second = await leaseOne(store);
        expect(second.id).toBe(a2);
        expect(await store.retry([a1 as number])).toBe(1);
        expect(await store.lease(10, LONG)).toEqual([]);
        await store.complete(second.id, second.token);
        expect(ids(await store.lease(10, LONG))).toEqual([a1]);
      });

      it("an expired lease is leasable again with a new token; the stale token no longer completes or fails it", async () => {
        const store = await fresh();
        const [id] = await insert(store, [entry()]);
        const stale = await leaseOne(store, 50);
        await sleep(150);
        const fresh2 = await leaseOne(store);
        expect(fresh2.id).toBe(id);
        expect(fresh2.token).not.toBe(stale.token);
        expect(fresh2.attempts).toBe(2);
        expect(await store.complete(stale.id, stale.token)).toBe(false);
        expect(await store.fail(stale.id, stale.token, "Error: stale", undefined)).toBe(false);
        expect((await row(store, id as number)).status).toBe("leased");
        expect(await store.complete(fresh2.id, fresh2.token)).toBe(true);
        expect((await row(store, id as number)).status).toBe("done");
      });

      it("rejected rows are never leased", async () => {
        const store = await fresh();
        await insert(store, [rejected(), rejected({ orderKey: "R" })]);
        expect(await store.lease(10, 50)).toEqual([]);
      });
    });

    describe("complete and fail", () => {
      it("complete: done, lease cleared; only the holding token, only once", async () => {
        const store = await fresh();
        const [a, b] = await insert(store, [entry(), entry()]);
        expect(await store.complete(a as number, "no-such-token")).toBe(false);
        const [la, lb] = (await store.lease(2, LONG)) as [LeasedRow, LeasedRow];
        expect(await store.complete(a as number, lb.token)).toBe(false);
        expect(await store.complete(a as number, "")).toBe(false);
        expect(await store.complete(la.id, la.token)).toBe(true);
        expect(await store.complete(la.id, la.token)).toBe(false);
        expect(await store.fail(la.id, la.token, "Error: late", 0)).toBe(false);
        const done = await row(store, a as number);
        expect(done).toMatchObject({ status: "done", attempts: 1, leaseUntil: undefined, lastError: undefined });
        expect(done.updatedAt).toBeGreaterThanOrEqual(la.updatedAt);
        expect((await row(store, b as number)).status).toBe("leased");
        expect(await store.complete(999_999_999, lb.token)).toBe(false);
      });

      it("fail with a retry delay: pending with the error, not leasable until the delay passed", async () => {
        const store = await fresh();
        const [id] = await insert(store, [entry()]);
        const leased = await leaseOne(store);
        const failedAt = performance.now();
        expect(await store.fail(leased.id, leased.token, "TypeError: boom", 1000)).toBe(true);
        const failed = await row(store, id as number);
        expect(failed).toMatchObject({
          status: "pending",
          lastError: "TypeError: boom",
          leaseUntil: undefined,
          attempts: 1,
        });
        expect(Math.abs(failed.availableAt - failed.updatedAt - 1000)).toBeLessThan(50);
        expect(await store.lease(10, LONG)).toEqual([]);
        expect(await store.complete(leased.id, leased.token)).toBe(false);
        let again: readonly LeasedRow[] = [];
        for (let i = 0; i < 100 && again.length === 0; i++) {
          await sleep(50);
          again = await store.lease(10, LONG);
        }
        expect(performance.now() - failedAt).toBeGreaterThanOrEqual(950);
        expect(ids(again)).toEqual([id]);
        expect(again[0]).toMatchObject({ attempts: 2, lastError: "TypeError: boom" });
      });

      it("fail with retry 0 is pending and available at once", async () => {
        const store = await fresh();
        const [id] = await insert(store, [entry()]);
        const leased = await leaseOne(store);
        expect(await store.fail(leased.id, leased.token, "Error: again", 0)).toBe(true);
        expect(ids(await store.lease(1, LONG))).toEqual([id]);
      });

      it("fail without a retry: dead with the error, never leased again", async () => {
        const store = await fresh();
        const [id] = await insert(store, [entry()]);
        const leased = await leaseOne(store);
        expect(await store.fail(leased.id, leased.token, "Error: gave up", undefined)).toBe(true);
        expect(await store.fail(leased.id, leased.token, "Error: twice", undefined)).toBe(false);
        expect(await row(store, id as number)).toMatchObject({
          status: "dead",
          lastError: "Error: gave up",
          leaseUntil: undefined,
          attempts: 1,
        });
        expect(await store.lease(10, 50)).toEqual([]);
        expect(await store.counts()).toEqual({ pending: 0, leased: 0, done: 0, dead: 1, rejected: 0 });
      });
    });

    describe("retry", () => {
      it('"dead": every dead row pending and available now, attempts reset, last error kept', async () => {
        const store = await fresh();
        const [d1, d2, done, pending] = await insert(store, [entry(), entry(), entry(), entry()]);
        const leased = await store.lease(3, LONG);
        await store.fail(d1 as number, leased[0]?.token as string, "Error: one", undefined);
        await store.fail(d2 as number, leased[1]?.token as string, "Error: two", undefined);
        await store.complete(done as number, leased[2]?.token as string);
        expect(await store.retry("dead")).toBe(2);
        expect(await store.retry("dead")).toBe(0);
        const back = await row(store, d1 as number);
        expect(back).toMatchObject({ status: "pending", attempts: 0, lastError: "Error: one", leaseUntil: undefined });
        expect((await row(store, done as number)).status).toBe("done");
        expect(ids(await store.lease(10, LONG))).toEqual([d1, d2, pending]);
      });

      it("ids: dead and done rows only; a leased row keeps its lease, a rejected row stays rejected", async () => {
        const store = await fresh();
        const [dead, done, held, refused] = await insert(store, [entry(), entry(), entry(), rejected()]);
        const leased = await store.lease(3, LONG);
        await store.fail(dead as number, leased[0]?.token as string, "Error: x", undefined);
        await store.complete(done as number, leased[1]?.token as string);
        expect(await store.retry([])).toBe(0);
        expect(await store.retry([dead, done, held, refused, 999_999_999] as number[])).toBe(2);
        expect((await row(store, done as number)).status).toBe("pending");
        expect((await row(store, refused as number)).status).toBe("rejected");
        expect((await row(store, held as number)).status).toBe("leased");
        expect(await store.complete(held as number, leased[2]?.token as string)).toBe(true);
        expect(await store.counts()).toEqual({ pending: 2, leased: 0, done: 1, dead: 0, rejected: 1 });
      });
    });

    describe("prune", () => {
      it("deletes done, dead and rejected rows received before the time; keeps unfinished and newer rows", async () => {
        const store = await fresh();
        const old = { receivedAt: T0 };
        const [done, dead, newDone] = await insert(store, [
          entry({ request: old }),
          entry({ request: old }),
          entry({ request: { receivedAt: T0 + 10_000 } }),
        ]);
        const finished = await store.lease(3, LONG);
        await store.complete(done as number, finished[0]?.token as string);
        await store.fail(dead as number, finished[1]?.token as string, "Error: x", undefined);
        await store.complete(newDone as number, finished[2]?.token as string);
        const [refused, leasedId, pending, atCut] = await insert(store, [
          rejected({ request: old }),
          entry({ request: old }),
          entry({ request: old }),
          rejected({ request: { receivedAt: T0 + 5000 } }),
        ]);
        expect(ids(await store.lease(1, LONG))).toEqual([leasedId]);
        expect(await store.prune(T0 + 5000)).toBe(3);
        expect(await store.prune(T0 + 5000)).toBe(0);
        expect(ids(await store.list())).toEqual([newDone, leasedId, pending, atCut]);
        expect(await store.get(refused as number)).toBeUndefined();
        expect(await store.prune(T0 + 10_001)).toBe(2);
        expect(ids(await store.list())).toEqual([leasedId, pending]);
      });
    });

    describe("list and get", () => {
      it("filters by status, since (inclusive) and until (exclusive) on receivedAt, pages by afterId", async () => {
        const store = await fresh();
        const all = await insert(
          store,
          [0, 1, 2, 3, 4].map((i) =>
            i % 2 === 0
              ? entry({ request: { receivedAt: T0 + i * 1000 } })
              : rejected({ request: { receivedAt: T0 + i * 1000 } }),
          ),
        );
        expect(ids(await store.list())).toEqual(all);
        expect(ids(await store.list({ status: "rejected" }))).toEqual([all[1], all[3]]);
        expect(ids(await store.list({ status: "done" }))).toEqual([]);
        expect(ids(await store.list({ since: T0 + 1000 }))).toEqual(all.slice(1));
        expect(ids(await store.list({ until: T0 + 3000 }))).toEqual(all.slice(0, 3));
        expect(ids(await store.list({ since: T0 + 1000, until: T0 + 3000, status: "pending" }))).toEqual([all[2]]);
        expect(ids(await store.list({ afterId: all[2] as number }))).toEqual(all.slice(3));
        expect(ids(await store.list({ limit: 2 }))).toEqual(all.slice(0, 2));
        expect(ids(await store.list({ status: undefined, since: undefined, limit: undefined }))).toEqual(all);
        const paged: number[] = [];
        let afterId: number | undefined;
        for (let page = 0; page < 10; page++) {
          const rows = await store.list({ limit: 2, ...(afterId === undefined ? {} : { afterId }) });
          if (rows.length === 0) break;
          paged.push(...ids(rows));
          afterId = rows.at(-1)?.id;
        }
        expect(paged).toEqual(all);
      });

      it("returns at most 100 rows by default, in id order", async () => {
        const store = await fresh();
        const all = await insert(
          store,
          Array.from({ length: 105 }, () => entry()),
        );
        const page = await store.list();
        expect(ids(page)).toEqual(all.slice(0, 100));
        expect(ids(await store.list({ afterId: page.at(-1)?.id as number }))).toEqual(all.slice(100));
      });

      it("get: the row, or undefined for an unknown id", async () => {
        const store = await fresh();
        const [id] = await insert(store, [entry()]);
        expect((await store.get(id as number))?.id).toBe(id);
        expect(await store.get((id as number) + 1000)).toBeUndefined();
      });
    });
  });
}
