/**
 * The SQLite store against the shared InboxStore contract (store-contract.ts), each test on a real
 * file of its own, plus what only SQLite has: durability settings, several connections to one file
 * (as `listen` and an `inbox` command in another terminal are), and a file that is not an inbox.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { sqliteInbox } from "../../src/inbox/sqlite.js";
import { describeStoreContract, entry } from "./store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "sqlite-store-"));
let n = 0;
const fresh = () => join(dir, `inbox-${++n}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract("sqlite", async () => {
  const store = sqliteInbox({ file: fresh() });
  return { store, close: () => store.close() };
});

describe("sqlite: its own", () => {
  test("two connections to one file see each other's commits, and both can lease without holding one row twice", async () => {
    const file = fresh();
    const a = sqliteInbox({ file });
    const b = sqliteInbox({ file, synchronous: "normal" });
    try {
      await a.migrate();
      await b.migrate();
      await a.insert(Array.from({ length: 20 }, (_, i) => entry({ key: `k${i}` })));
      expect((await b.counts()).pending).toBe(20);
      const [first, second] = await Promise.all([a.lease(15, 60_000), b.lease(15, 60_000)]);
      const ids = [...first, ...second].map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(20);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a file that is not SQLite is refused with the driver's reason", async () => {
    const file = fresh();
    writeFileSync(file, "not a database, just text that is long enough to have a header..........");
    const store = sqliteInbox({ file });
    await expect(store.migrate()).rejects.toThrow(/not a database|file is not/i);
    await store.close();
  });

  test("sqliteInbox needs a file, and checks its options when made", () => {
    expect(() => sqliteInbox({ file: "" })).toThrow(/sqliteInbox needs \{ file \}/);
    expect(() => sqliteInbox({ file: "x", checkpointPages: 0 })).toThrow(/checkpointPages must be a positive/);
    expect(() => sqliteInbox({ file: "x", busyTimeoutMs: 1.5 })).toThrow(/busyTimeoutMs must be a positive/);
    expect(() => sqliteInbox({ file: "x", synchronous: "off" as "full" })).toThrow(/synchronous must be/);
  });
});
