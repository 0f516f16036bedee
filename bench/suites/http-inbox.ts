/**
 * The durable inbox over HTTP: this package's Node adapter answering 2xx once each request's row
 * is committed to SQLite (`createNodeHandler(inbox)`, synchronous FULL and NORMAL), against the
 * same adapter without an inbox and bare node:http, at the connections a busy sender would open.
 * Every request is a distinct notification (its action_id varied per request, the same way for
 * every server), or the inbox would store one row and answer duplicates. Each inbox server gets a
 * fresh SQLite file on the project's disk; after the run the rows in each file must equal the 2xx
 * answers its server gave, or the run fails.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join, relative } from "node:path";
import { createInbox } from "../../src/inbox/create-inbox.js";
import { sqliteInbox } from "../../src/inbox/sqlite.js";
import { fmt, fmtRatio, table } from "../lib/format.js";
import { check, failures, METHODS, type Method, measureLoad, type Sample, verdicts } from "../lib/http-measure.js";
import { elapsed, progress } from "../lib/progress.js";
import type { SuiteContext, TargetCheck } from "../lib/section.js";
import type { InboxServerCounters } from "../lib/serve.js";
import { type RunningServer, startEntryServer } from "../lib/servers.js";
import { median } from "../lib/stats.js";

export const INBOX_IDS = ["inbox-full", "inbox-normal"] as const;
export type InboxId = (typeof INBOX_IDS)[number];

const BARE = "bare node:http";
const WITHOUT = "**createNodeHandler**, no inbox";
const NAMES: Record<InboxId, string> = {
  "inbox-full": "**createNodeHandler** + SQLite inbox, synchronous FULL",
  "inbox-normal": "**createNodeHandler** + SQLite inbox, synchronous NORMAL",
};

/** In every request, this (the documented action_id) becomes a distinct id of the same length. */
const TOKEN = "1234567890";
/** Most requests in one load: the ids' counter has TOKEN's length less the prefix's 4 characters. */
const MAX_REQUESTS = 900_000;

/** What the durability of each mode is, for BENCHMARKS.md. */
export const DURABILITY =
  "With synchronous FULL a 2xx means the row is in the WAL and fsynced: it survives a process crash and a power loss. " +
  "With NORMAL (WAL) the commit is written but fsynced only at checkpoints: it survives a process crash, " +
  "but a power loss may lose the last commits, which impact.com, having had its 2xx, will not resend.";

/** Filesystem magic numbers (statfs f_type) worth naming. */
const FILESYSTEMS: Record<number, string> = {
  61267: "ext4",
  16914836: "tmpfs",
  1481003842: "xfs",
  2435016766: "btrfs",
  2035054128: "overlayfs",
  801189825: "zfs",
};

/** Median ms of `times` appends of 4 KiB to a file in `dir`, each followed by fsync: what one commit's flush costs there at least. */
function fsyncMs(dir: string, times: number): number {
  const file = join(dir, "fsync-probe");
  const fd = openSync(file, "a");
  const block = Buffer.alloc(4096, 120);
  const ms: number[] = [];
  try {
    for (let i = 0; i < times; i++) {
      writeSync(fd, block);
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

interface Running {
  readonly id: "bare" | "project" | InboxId;
  readonly server: RunningServer;
  readonly file?: string;
}

export interface InboxPhase {
  readonly markdown: string;
  readonly targets: readonly TargetCheck[];
}

/**
 * The phase: fresh processes of bare node:http (when `bare`), the adapter without an inbox and
 * with each inbox of `ids`, warmed up, then `rounds` of one sample per server and method in a
 * rotated order; ratios are taken within a round, their median reported.
 */
export async function inboxPhase(
  ctx: SuiteContext,
  ids: readonly InboxId[],
  bare: boolean,
  nodeArgs: readonly string[],
): Promise<InboxPhase> {
  const { connections, rounds, durationS, warmupRequests, requests } = ctx.mode.http.inbox;
  const dir = join(ctx.root, "node_modules/.cache/impact-bench", `inbox-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const type = statfsSync(dir).type;
  const filesystem = FILESYSTEMS[type] ?? `filesystem type 0x${type.toString(16)}`;
  const fsync = `; there a 4 KiB append and its fsync took ${fmt(fsyncMs(dir, rounds * 10), 2)} ms (median of ${rounds * 10})`;
  const missing: string[] = [];
  const plan: { id: Running["id"]; name: string; entry: string; env?: Record<string, string>; file?: string }[] = [
    ...(bare ? [{ id: "bare" as const, name: BARE, entry: "server-bare" }] : []),
    { id: "project", name: WITHOUT, entry: "server-project" },
    ...ids.map((id) => {
      const file = join(dir, `${id}.sqlite`);
      const synchronous = id === "inbox-full" ? "full" : "normal";
      return {
        id,
        name: NAMES[id],
        entry: "server-inbox",
        file,
        env: { IMPACT_BENCH_INBOX_FILE: file, IMPACT_BENCH_INBOX_SYNCHRONOUS: synchronous },
      };
    }),
  ];
  const running: Running[] = [];
  /** 2xx answers per server over the whole phase (verdicts, warm-up, samples), to check the rows against. */
  const answered = new Map<string, number>();
  const tally = (name: string, n: number) => answered.set(name, (answered.get(name) ?? 0) + n);
  const samples = new Map<string, Sample[]>();
  const checks = new Map<string, string>();
  const totals = new Map<string, InboxServerCounters>();
  let loads = 0;
  const t = performance.now();
  try {
    for (const p of plan) {
      const file = ctx.entries.files.get(p.entry);
      if (file === undefined) {
        missing.push(`${p.name}: ${ctx.entries.failed.get(p.entry) ?? "not built"}`);
        continue;
      }
      try {
        const server = await startEntryServer(p.name, file, ctx.root, {
          nodeArgs,
          ...(p.env === undefined ? {} : { env: p.env }),
        });
        running.push({ id: p.id, server, ...(p.file === undefined ? {} : { file: p.file }) });
      } catch (error) {
        missing.push(`${p.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
    }
    for (const { id, server } of running) {
      const v = await verdicts(server, id === "bare" ? "validates nothing (the limit)" : undefined);
      checks.set(server.name, v.text);
      tally(server.name, v.accepted);
    }
    const sample = async (server: RunningServer, m: Method, amount: number): Promise<Sample> => {
      if (loads > 999) throw new Error("more loads than the distinct ids' prefixes allow");
      const x = await measureLoad(ctx, server, m, {
        connections,
        // With `amount`, only the bound of a hung run.
        durationS: Math.max(20, 10 * durationS),
        amount: Math.min(amount, MAX_REQUESTS),
        distinct: { token: TOKEN, prefix: `x${String(loads++).padStart(3, "0")}` },
      });
      tally(server.name, x.status2xx);
      return x;
    };
    // Each server's requests per sample: what it served in durationS during its warm-up.
    const amounts = new Map<string, number>();
    for (const { server } of running) {
      for (const m of METHODS) {
        const rate = warmupRequests > 0 ? (await sample(server, m, warmupRequests)).reqPerSec : undefined;
        const amount = requests ?? Math.round(Math.max(connections * 20, (rate ?? 0) * durationS));
        amounts.set(`${m} ${server.name}`, amount);
      }
    }
    if (warmupRequests > 0) progress(`✔ http inbox: warm-up done (${elapsed(t)})`);
    // Each sample of another server is a duel with the adapter without an inbox, back to back
    // (alternating which goes first), so drift of this shared machine moves both sides of a ratio.
    const project = running.find((r) => r.id === "project")?.server;
    const others = running.filter((r) => r.id !== "project");
    for (let r = 0; project !== undefined && r < rounds; r++) {
      for (const m of METHODS) {
        const one = (server: RunningServer) =>
          sample(server, m, amounts.get(`${m} ${server.name}`) ?? connections * 20);
        const push = (name: string, x: Sample) =>
          samples.set(`${m} ${name}`, [...(samples.get(`${m} ${name}`) ?? []), x]);
        for (let k = 0; k < others.length; k++) {
          const { server } = others[(r + k) % others.length] as Running;
          const before = (r + k) % 2 === 0 ? await one(project) : undefined;
          const x = await one(server);
          const reference = before ?? (await one(project));
          push(project.name, reference);
          push(server.name, { ...x, reference });
        }
      }
      progress(`✔ http inbox round ${r + 1}/${rounds} (${elapsed(t)})`);
    }
    for (const { server, file } of running) {
      const counters = file === undefined ? undefined : (await server.stats())?.inbox;
      if (counters !== undefined) totals.set(server.name, counters);
    }
  } finally {
    await Promise.all(running.map(({ server }) => server.stop()));
  }
  // Each file as the stopped server left it (killed, as a crash would: only committed rows count).
  const stored: string[] = [];
  const wrong: string[] = [];
  try {
    for (const { server, file } of running) {
      if (file === undefined) continue;
      const inbox = await createInbox(sqliteInbox({ file }), { migrate: false });
      const counts = await inbox.counts().finally(() => inbox.close());
      const rows = counts.pending + counts.leased + counts.done + counts.dead;
      const ok = answered.get(server.name) ?? 0;
      const total = totals.get(server.name);
      stored.push(`${server.name}: ${fmt(rows)} rows, ${fmt(ok)} 2xx answers`);
      if (rows !== ok) {
        wrong.push(
          `${server.name}: ${fmt(rows)} rows in ${file} but ${fmt(ok)} 2xx answers` +
            (total === undefined ? "" : ` (its counters: ${JSON.stringify(total)})`),
        );
      }
    }
  } finally {
    // Kept when rows went missing, to look into.
    if (wrong.length === 0) rmSync(dir, { recursive: true, force: true });
  }
  if (wrong.length > 0) throw new Error(`the inbox lost or duplicated rows (files kept):\n${wrong.join("\n")}`);
  progress(`✔ http inbox: ${stored.join("; ")} (${elapsed(t)})`);
  return report(
    ctx,
    running,
    samples,
    checks,
    stored,
    missing,
    `${relative(ctx.root, dir).replace(String(process.pid), "<pid>")}/ (${filesystem}, the project's disk)`,
    fsync,
  );
}

function report(
  ctx: SuiteContext,
  running: readonly Running[],
  samples: ReadonlyMap<string, Sample[]>,
  checks: ReadonlyMap<string, string>,
  stored: readonly string[],
  missing: readonly string[],
  where: string,
  fsync: string,
): InboxPhase {
  const { connections, rounds, durationS, requests } = ctx.mode.http.inbox;
  const list = (name: string, m: Method) => samples.get(`${m} ${name}`) ?? [];
  /** Median over the duels of `name`'s req/s ÷ its neighbouring sample of the adapter without an inbox. */
  const vsWithout = (name: string, m: Method) => {
    if (name === WITHOUT) return list(name, m).length > 0 ? 1 : undefined;
    const values = list(name, m).flatMap((x) =>
      x.reference === undefined ? [] : [x.reqPerSec / x.reference.reqPerSec],
    );
    return values.length > 0 ? median(values) : undefined;
  };
  const vsBare = (name: string, m: Method) => {
    const x = vsWithout(name, m);
    const bare = vsWithout(BARE, m);
    return x === undefined || bare === undefined ? undefined : x / bare;
  };
  const rowsPerCommit = (name: string, m: Method) => {
    const counted = list(name, m).flatMap((x) => (x.inbox === undefined ? [] : [x.inbox]));
    const commits = counted.reduce((n, c) => n + c.commits, 0);
    return commits === 0 ? undefined : counted.reduce((n, c) => n + c.recorded, 0) / commits;
  };
  const has = (id: Running["id"]) => running.some((r) => r.id === id);
  const rows = METHODS.flatMap((m) =>
    running.map(({ server }) => {
      const own = list(server.name, m);
      const cpu = own.map((x) => x.cpuUsPerRequest).filter((v): v is number => v !== undefined);
      return [
        m,
        server.name,
        fmt(median(own.map((x) => x.reqPerSec))),
        fmtRatio(vsWithout(server.name, m)),
        has("bare") ? fmtRatio(vsBare(server.name, m)) : "n/a",
        fmt(median(own.map((x) => x.p50Ms)), 2),
        fmt(median(own.map((x) => x.p99Ms)), 2),
        cpu.length > 0 ? fmt(median(cpu), 1) : "n/a",
        fmt(rowsPerCommit(server.name, m), 1),
        failures(own),
        checks.get(server.name) ?? "",
      ];
    }),
  );
  const targets = METHODS.map((m): TargetCheck => {
    const full = check(
      `${m} through createNodeHandler with a SQLite inbox (synchronous FULL) ≥ 0.5× without it, ${connections} connections`,
      vsWithout(NAMES["inbox-full"], m),
      0.5,
    );
    const perCommit = rowsPerCommit(NAMES["inbox-full"], m);
    const normal = vsWithout(NAMES["inbox-normal"], m);
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
    `Fresh processes, ${connections} connections, ${rounds} round(s); in each, per method, every server duels the`,
    "adapter without an inbox (back to back, alternating which goes first), and “× no inbox” is the median of",
    "the duels' ratios (“× bare” divides two of those). Each sample is a fixed number of requests",
    `(${requests === undefined ? `what the server served in ${durationS} s of its warm-up` : fmt(requests)}). Every request is a distinct notification (its action_id varied per`,
    "request), the same requests for every server, the adapter without an inbox included. Rows per commit:",
    "rows recorded ÷ transactions committed over the samples (the group commit). Each inbox has its own new",
    `file in ${where}, removed afterwards${fsync}.`,
    "",
    DURABILITY,
    "",
    table(
      [
        "method",
        "server",
        "req/s",
        "× no inbox",
        "× bare",
        "p50 ms",
        "p99 ms",
        "CPU µs/req",
        "rows/commit",
        "non-2xx/errors",
        "verdicts",
      ],
      rows,
    ),
    "",
    `Rows in each file after the run (checked against the 2xx answers; the run fails when they differ): ${stored.join("; ") || "none"}.`,
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
  ].join("\n");
  return { markdown, targets };
}
