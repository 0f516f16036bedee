/**
 * The inbox's promise under a crash: `listen` (recording into a real SQLite file) is loaded by the
 * real `send --count`, killed with SIGKILL mid-run, and restarted on the same file; then everything
 * is sent again, as impact.com retries what was not acknowledged. Every notification answered 2xx
 * before the kill must be in the inbox exactly once: none lost, none doubled. Both deliveries
 * (GET and POST) run at once, so the kill lands among concurrent commits.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { afterAll, expect, test } from "vitest";
import { createInbox, sqliteInbox } from "../../src/inbox/index.js";
import { type RunningCli, startCli, startListen } from "../cli/cli-process.js";

const main = join(import.meta.dirname, "../../src/cli/main.ts");
const dir = mkdtempSync(join(tmpdir(), "inbox-crash-"));
const file = join(dir, "inbox.sqlite");
const COUNT = 1500;
const running: RunningCli[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop("SIGKILL")));
  rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  readonly event: string;
  readonly index: number;
  readonly status: number;
  readonly ok: boolean;
  readonly notification: Record<string, unknown>;
}

const answersOf = (stdout: string): Answer[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith('{"event":"answer"'))
    .map((l) => JSON.parse(l) as Answer);

function sendLoad(url: string, method: "GET" | "POST"): RunningCli {
  const sender = startCli(process.execPath, [
    "--import",
    "tsx",
    main,
    "send",
    "--to",
    url,
    "--method",
    method,
    "--count",
    String(COUNT),
    "--rate",
    "500",
    "--seed",
    `crash-${method}`,
    "--timeout",
    "3000",
    "--each",
    "--json",
  ]);
  running.push(sender);
  return sender;
}

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test("SIGKILL mid-load, restart: every 2xx answered before the kill is stored exactly once", async () => {
  const first = await startListen(["--inbox", file, "--json"]);
  running.push(first);
  const get = sendLoad(first.url, "GET");
  const post = sendLoad(first.url, "POST");
  const acked = () =>
    answersOf(get.stdout()).filter((a) => a.ok).length + answersOf(post.stdout()).filter((a) => a.ok).length;
  // Mid-run: well after the first commits, well before the last.
  await until(() => acked() >= 600, "600 acknowledged notifications", 60_000);
  const killedAt = Date.now();
  first.child.kill("SIGKILL");
  await first.stop();
  // The senders go on to their end: what is left fails to connect (no answer), as impact.com would see it.
  await until(() => get.child.exitCode !== null && post.child.exitCode !== null, "the senders to end", 60_000);

  const tag = (method: "GET" | "POST", sender: RunningCli) => answersOf(sender.stdout()).map((a) => ({ ...a, method }));
  const before = [...tag("GET", get), ...tag("POST", post)];
  const ackedBefore = before.filter((a) => a.ok);
  const unanswered = before.filter((a) => !a.ok);
  expect(ackedBefore.length).toBeGreaterThanOrEqual(600);
  // The kill landed mid-run: some deliveries got no 2xx (cut connections, or never sent).
  expect(ackedBefore.length).toBeLessThan(2 * COUNT);
  expect(unanswered.every((a) => a.status === 0)).toBe(true);

  // Restart on the same file; impact.com sends everything again (retries of the unacknowledged, and
  // here also of the acknowledged, which must come back as duplicates, not as second rows).
  const second = await startListen(["--inbox", file, "--json"]);
  running.push(second);
  const again = [sendLoad(second.url, "GET"), sendLoad(second.url, "POST")];
  await Promise.all(again.map((s) => until(() => s.child.exitCode !== null, "the re-send to end", 120_000)));
  const after = again.flatMap((s) => answersOf(s.stdout()));
  expect(after).toHaveLength(2 * COUNT);
  expect(after.every((a) => a.ok)).toBe(true);
  expect(await second.stop()).toBe(0);

  const inbox = await createInbox(sqliteInbox({ file }));
  try {
    const rows = [];
    for (let afterId = 0; ; ) {
      const page = await inbox.list({ afterId, limit: 1000 });
      if (page.length === 0) break;
      rows.push(...page);
      afterId = page.at(-1)?.id ?? afterId;
    }
    // Exactly one row per distinct notification: the seeds make 2 × COUNT distinct ones.
    expect(rows.filter((r) => r.status !== "rejected")).toHaveLength(2 * COUNT);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    // Every notification acknowledged before the kill is there, once, and was re-sent as a duplicate.
    let lost = 0;
    let doubled = 0;
    for (const answer of ackedBefore) {
      const found = rows.filter(
        (r) => r.delivery === answer.method && isDeepStrictEqual(r.notification, answer.notification),
      );
      // Stored by the first receiver, before the kill: a row the re-send made would hide a loss.
      if (found.length === 0 || (found[0]?.request.receivedAt ?? 0) > killedAt) lost++;
      if (found.length > 1) doubled++;
      if (found.length === 1) expect(found[0]?.duplicates).toBeGreaterThanOrEqual(1);
    }
    expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
    console.log(
      `crash test: ${ackedBefore.length} acknowledged before SIGKILL, ${unanswered.length} unanswered; ` +
        `after restart and re-send ${rows.length} rows for ${2 * COUNT} notifications, lost ${lost}, doubled ${doubled}`,
    );
  } finally {
    await inbox.close();
  }
}, 240_000);
