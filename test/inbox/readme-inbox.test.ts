/**
 * The README's inbox example, extracted, its package imports pointed at src/, and driven over real
 * HTTP on 127.0.0.1 with a real SQLite file: a valid notification is answered 200 once stored and
 * then processed, a repeat is answered 200 and counted, a wrong secret is refused and kept as rejected.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import type { Inbox, InboxWorker } from "../../src/inbox/index.js";
import { closeServer, listenLocal, sendRaw } from "../helpers/http.js";

const root = join(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const start = readme.indexOf("## The durable inbox");
const code = /```ts\n([\s\S]*?)```/.exec(readme.slice(start))?.[1] ?? "";
const dir = mkdtempSync(join(tmpdir(), "readme-inbox-"));
const saved: { key: string; n: Record<string, string> }[] = [];
(globalThis as { __inboxSaved?: unknown[] }).__inboxSaved = saved;

let loaded: { inbox: Inbox; server: Server; worker: InboxWorker } | undefined;
afterAll(async () => {
  if (loaded !== undefined) {
    await closeServer(loaded.server);
    await loaded.inbox.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("the README's inbox example stores, acknowledges, then processes", async () => {
  expect(start).toBeGreaterThan(0);
  const source = code
    .replace('"impact-event-notifications/inbox"', JSON.stringify(join(root, "src/inbox/index.ts")))
    .replace('"impact-event-notifications/node"', JSON.stringify(join(root, "src/adapters/node.ts")));
  expect(source).not.toContain('"impact-event-notifications');
  const file = join(dir, "inbox-example.ts");
  writeFileSync(
    file,
    `const save = async (key: string, n: unknown) => { (globalThis as any).__inboxSaved.push({ key, n }); };\n${source}`,
  );
  process.env.INBOX_FILE = join(dir, "example.sqlite");
  loaded = (await import(file)) as typeof loaded & object;
  const { inbox, server } = loaded;
  const base = await listenLocal(server);

  const ok = "/impact?token=s3cret&action_id=1000.1.2&status=APPROVED&payout=5.00";
  expect((await sendRaw(base, { method: "GET", path: ok })).status).toBe(200);
  // Stored before the answer: the row is there once the 200 arrived.
  const [row] = await inbox.list();
  expect(row).toMatchObject({ contract: "documented", request: { method: "GET", target: ok } });
  await until(() => saved.length === 1, "the worker to process the row");
  expect(saved[0]).toMatchObject({ key: expect.stringMatching(/^v1:/), n: { action_id: "1000.1.2", payout: "5.00" } });
  await until(async () => (await inbox.get(row?.id ?? 0))?.status === "done", "the row to be done");

  expect((await sendRaw(base, { method: "GET", path: ok })).status).toBe(200);
  expect((await inbox.get(row?.id ?? 0))?.duplicates).toBe(1);
  expect(saved).toHaveLength(1);

  expect((await sendRaw(base, { method: "GET", path: ok.replace("s3cret", "wrong") })).status).toBe(401);
  const rejected = await inbox.list({ status: "rejected" });
  expect(rejected.map((r) => r.verdict?.code)).toEqual(["unauthorized"]);
});
