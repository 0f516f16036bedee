/**
 * The SQLite store against the shared InboxStore contract (store-contract.ts), each test on a real
 * file of its own, on its worker thread (the default) and on the calling thread, plus what only
 * SQLite has: durability settings, several connections to one file (as `listen` and an `inbox`
 * command in another terminal are), a file that is not an inbox, and the thread's lifecycle.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";
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

describeStoreContract("sqlite on the calling thread", async () => {
  const store = sqliteInbox({ file: fresh(), thread: false });
  return { store, close: () => store.close() };
});

const root = resolve(import.meta.dirname, "../..");

/** Runs an ES module with node (tsx for TypeScript), at most 20 s: its exit code and output. */
function runModule(file: string): { status: number | null; stdout: string; stderr: string } {
  const args = file.endsWith(".mjs") ? [file] : ["--import", "tsx", file];
  const { status, stdout, stderr } = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status, stdout, stderr };
}

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

  test("reading a file that is not an inbox fails and leaves the file as it was", async () => {
    // An empty file is an empty SQLite database; switching it to WAL would write its header.
    const file = fresh();
    writeFileSync(file, "");
    const store = sqliteInbox({ file });
    await expect(store.list()).rejects.toThrow(/no such table/);
    await store.close();
    expect(statSync(file).size).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  test("sqliteInbox needs a file, and checks its options when made", () => {
    expect(() => sqliteInbox({ file: "" })).toThrow(/sqliteInbox needs \{ file \}/);
    expect(() => sqliteInbox({ file: "x", checkpointPages: 0 })).toThrow(/checkpointPages must be a positive/);
    expect(() => sqliteInbox({ file: "x", busyTimeoutMs: 1.5 })).toThrow(/busyTimeoutMs must be a positive/);
    expect(() => sqliteInbox({ file: "x", synchronous: "off" as "full" })).toThrow(/synchronous must be/);
    expect(() => sqliteInbox({ file: "x", thread: "yes" as unknown as boolean })).toThrow(/thread must be/);
  });

  test("a call in flight keeps the process alive, an idle open store does not", () => {
    // Unreferenced, the thread would let top-level await end the process with code 13 before the
    // answer; referenced while idle, the process would never end (the timeout fails the test).
    const script = join(dir, "alive.mts");
    const file = fresh();
    writeFileSync(
      script,
      `import { sqliteInbox } from ${JSON.stringify(join(root, "src/inbox/sqlite.ts"))};
       const store = sqliteInbox({ file: ${JSON.stringify(file)} });
       await store.migrate();
       await new Promise((r) => setTimeout(r, 50));
       console.log(JSON.stringify(await store.counts()));`,
    );
    const run = runModule(script);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ pending: 0, dead: 0 });
  });

  test("bundled without the thread's script, it warns once and stores on the calling thread", async () => {
    // Inside the project, so the bundle's external better-sqlite3 resolves.
    const out = join(root, "node_modules/.cache", `sqlite-bundle-${process.pid}`, "app.mjs");
    await build({
      stdin: {
        contents: `import { sqliteInbox } from ${JSON.stringify(join(root, "src/inbox/sqlite.ts"))};
          const a = sqliteInbox({ file: ${JSON.stringify(fresh())} });
          const b = sqliteInbox({ file: ${JSON.stringify(fresh())} });
          await a.migrate(); await b.migrate();
          console.log(JSON.stringify(await a.insert([{ key: "k", status: "pending", request: { method: "GET", target: "/", headers: {}, body: new Uint8Array(), bodyTruncated: false, receivedAt: 1 } }])));
          await a.close(); await b.close();`,
        resolveDir: root,
        loader: "ts",
      },
      outfile: out,
      bundle: true,
      platform: "node",
      format: "esm",
      packages: "external",
      logLevel: "silent",
    });
    try {
      const run = runModule(out);
      expect(run.status).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([{ id: 1, duplicate: false }]);
      expect(run.stderr.match(/IMPACT_INBOX_NO_THREAD/g)).toHaveLength(1);
    } finally {
      rmSync(dirname(out), { recursive: true, force: true });
    }
  });
});
