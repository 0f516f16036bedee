/**
 * The durable inbox over HTTP: this package's Node adapter answering 2xx once each request's row is
 * committed to SQLite (`createNodeHandler(inbox)`, synchronous FULL and NORMAL), in duels with the
 * same adapter without an inbox, on fresh processes, at the connections a busy sender would open.
 * Every request is a distinct notification (its action_id varied per request, alike for every
 * server), or the inbox would store one row and answer duplicates. Each inbox gets a new SQLite
 * file on the project's disk; after the run the rows in each file must equal the 2xx answers its
 * server gave, or the run fails.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import { createInbox } from "../../src/inbox/create-inbox.js";
import { sqliteInbox } from "../../src/inbox/sqlite.js";
import { fmt, fmtRatio, table } from "../lib/format.js";
import {
  check,
  duelRounds,
  entryPlan,
  METHODS,
  type Method,
  measureLoad,
  type Sample,
  sampleColumns,
  sampleRows,
  samplesOf,
  verdicts,
  vsReference,
} from "../lib/http-measure.js";
import { progress } from "../lib/progress.js";
import type { SuiteContext, TargetCheck } from "../lib/section.js";
import type { RunningServer } from "../lib/servers.js";
import { median } from "../lib/stats.js";

export const INBOX_IDS = ["inbox-full", "inbox-normal"] as const;
type InboxId = (typeof INBOX_IDS)[number];

const WITHOUT = "**createNodeHandler**, no inbox";
const NAMES: Record<InboxId, string> = {
  "inbox-full": "**createNodeHandler** + SQLite inbox, synchronous FULL",
  "inbox-normal": "**createNodeHandler** + SQLite inbox, synchronous NORMAL",
};

/** In every request this (the documented action_id) becomes a distinct id of its length: a 4-character prefix per load, a counter. */
const TOKEN = "1234567890";

export const DURABILITY =
  "With synchronous FULL a 2xx means the row is in the WAL and fsynced: it survives a process crash and a power loss. " +
  "With NORMAL (WAL) the commit is written but fsynced only at checkpoints: it survives a process crash, " +
  "but a power loss may lose the last commits, which impact.com, having had its 2xx, will not resend.";

/** statfs f_type values worth naming. */
const FILESYSTEMS: Record<number, string> = {
  61267: "ext4",
  16914836: "tmpfs",
  1481003842: "xfs",
  2435016766: "btrfs",
  2035054128: "overlayfs",
};

/** Median ms of `times` 4 KiB appends to a file in `dir`, each followed by fsync: the least a commit's flush costs there. */
function fsyncMs(dir: string, times: number): number {
  const file = join(dir, "fsync-probe");
  const fd = openSync(file, "a");
  const ms: number[] = [];
  try {
    for (let i = 0; i < times; i++) {
      writeSync(fd, Buffer.alloc(4096, 120));
      const t = performance.now();
      fsyncSync(fd);
      ms.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return median(ms);
}

/** Rows stored in an inbox file, refusals left out: one per accepted notification. */
async function storedRows(file: string): Promise<number> {
  const inbox = await createInbox(sqliteInbox({ file }), { migrate: false });
  const counts = await inbox.counts().finally(() => inbox.close());
  return counts.pending + counts.leased + counts.done + counts.dead;
}

export async function inboxPhase(
  ctx: SuiteContext,
  ids: readonly InboxId[],
): Promise<{ markdown: string; targets: TargetCheck[] }> {
  const { connections, rounds, requests, warmupRequests } = ctx.mode.http.inbox;
  const dir = join(ctx.root, "node_modules/.cache/impact-bench", `inbox-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const type = statfsSync(dir).type;
  const where = `${relative(ctx.root, dir).replace(String(process.pid), "<pid>")}/ (${FILESYSTEMS[type] ?? `filesystem 0x${type.toString(16)}`}, the project's disk)`;
  const fsync = fsyncMs(dir, 50);
  const missing: string[] = [];
  const files = new Map<string, string>();
  const inboxes = ids.flatMap((id) => {
    const file = join(dir, `${id}.sqlite`);
    files.set(NAMES[id], file);
    const env = {
      IMPACT_BENCH_INBOX_FILE: file,
      IMPACT_BENCH_INBOX_SYNCHRONOUS: id === "inbox-full" ? "full" : "normal",
    };
    return entryPlan(ctx, missing, [id, NAMES[id], "server-inbox"], { env }) ?? [];
  });
  const without = entryPlan(ctx, missing, ["project", WITHOUT, "server-project"]);
  if (without === undefined) return { markdown: `Not measured: ${missing.join("; ")}`, targets: [] };
  /** 2xx answers per server (verdicts, warm-up, samples), to check each file's rows against. */
  const answered = new Map<string, number>();
  const checks = new Map<string, string>();
  let loads = 0;
  const sample = async (server: RunningServer, m: Method, amount = requests): Promise<Sample> => {
    const prefix = `x${String(loads++).padStart(3, "0")}`;
    if (prefix.length > 4) throw new Error("more loads than the distinct ids' prefixes allow");
    const x = await measureLoad(ctx, server, m, {
      connections,
      durationS: 60, // with `amount`, only the bound of a hung run
      amount,
      distinct: { token: TOKEN, prefix },
    });
    answered.set(server.name, (answered.get(server.name) ?? 0) + x.status2xx);
    return x;
  };
  const run = await duelRounds({
    label: "inbox",
    reference: without,
    others: inboxes,
    rounds,
    blocks: 1,
    sample,
    prepare: async (servers) => {
      for (const s of servers) {
        const v = await verdicts(s);
        checks.set(s.name, v.text);
        answered.set(s.name, (answered.get(s.name) ?? 0) + v.accepted);
        if (warmupRequests > 0) for (const m of METHODS) await sample(s, m, warmupRequests);
      }
    },
  });
  missing.push(...run.missing);
  // Each file as its stopped server left it (killed, as a crash would: only committed rows count).
  const stored: string[] = [];
  const wrong: string[] = [];
  try {
    for (const name of run.names) {
      const file = files.get(name);
      if (file === undefined) continue;
      const rows = await storedRows(file);
      const ok = answered.get(name) ?? 0;
      stored.push(`${name}: ${fmt(rows)} rows, ${fmt(ok)} 2xx answers`);
      if (rows !== ok) wrong.push(`${name}: ${fmt(rows)} rows in ${file} but ${fmt(ok)} 2xx answers`);
    }
  } finally {
    if (wrong.length === 0) rmSync(dir, { recursive: true, force: true }); // else kept, to look into
  }
  if (wrong.length > 0) throw new Error(`the inbox lost or duplicated rows (files kept):\n${wrong.join("\n")}`);
  progress(`✔ http inbox: ${stored.join("; ")}`);
  const rowsPerCommit = (name: string, m: Method) => {
    const counted = samplesOf(run, name, m).flatMap((x) => (x.inbox === undefined ? [] : [x.inbox]));
    const commits = counted.reduce((n, c) => n + c.commits, 0);
    return commits === 0 ? undefined : counted.reduce((n, c) => n + c.recorded, 0) / commits;
  };
  const targets = METHODS.map((m): TargetCheck => {
    const full = check(
      `${m} through createNodeHandler with a SQLite inbox (synchronous FULL) ≥ 0.5× without it, ${connections} connections`,
      vsReference(run, NAMES["inbox-full"], m),
      0.5,
    );
    const perCommit = rowsPerCommit(NAMES["inbox-full"], m);
    const normal = vsReference(run, NAMES["inbox-normal"], m);
    const notes = [
      full.note,
      perCommit === undefined ? undefined : `${fmt(perCommit, 1)} rows per commit`,
      normal === undefined ? undefined : `synchronous NORMAL ${fmtRatio(normal)}`,
    ].filter(Boolean);
    return { ...full, ...(notes.length > 0 ? { note: notes.join("; ") } : {}) };
  });
  const markdown = [
    "### Durable inbox (SQLite)",
    "",
    `Fresh processes, ${connections} connections, ${fmt(warmupRequests)} requests of warm-up per server and method, then`,
    `${rounds} round(s) of one duel per server and method with the adapter without an inbox, taken as the duels above`,
    `(each server once a round, in a rotated order); “× no inbox” is the median of the duels' ratios. Each sample is ${fmt(requests)} requests, every one a`,
    "distinct notification (its action_id varied per request), the same for every server. Rows per commit: rows",
    "recorded ÷ transactions committed over the samples (the group commit). Each inbox has a new file in",
    `${where}, removed afterwards; there a 4 KiB append and its fsync took ${fmt(fsync, 2)} ms (median of 50).`,
    "",
    DURABILITY,
    "",
    table(
      [...sampleColumns("× no inbox"), "rows/commit", "verdicts"],
      sampleRows(run, (name, m) => [fmt(rowsPerCommit(name, m), 1), checks.get(name) ?? ""]),
    ),
    "",
    `Rows in each file after the run (the run fails unless they equal the 2xx answers): ${stored.join("; ") || "none"}.`,
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
  ].join("\n");
  return { markdown, targets };
}
