/**
 * HTTP: every server in its own process on 127.0.0.1, loaded by autocannon (a fresh process per sample) in
 * rounds (each round visits every server, in a rotated order), bounded durations. Every sample of
 * a server is a duel with bare node:http, back to back, so its ratio to bare is taken between
 * neighbours in time; the median of those ratios is reported. Then head-to-head duels between the
 * project's adapter and fastify, whose ratio is near 1. (Memory at saturation: memory.ts.)
 */
import { writeFileSync } from "node:fs";
import { fmt, fmtRatio, fmtSigned, table } from "../lib/format.js";
import { check, METHODS, type Method, measureLoad, type Sample, verdicts } from "../lib/http-measure.js";
import { bodies, PATH, query } from "../lib/inputs.js";
import { measureGroup, syncBatch } from "../lib/measure.js";
import { elapsed, progress } from "../lib/progress.js";
import type { Section, SuiteContext, TargetCheck } from "../lib/section.js";
import { type RunningServer, startEntryServer, startListen, startPrism } from "../lib/servers.js";
import { median, quantile } from "../lib/stats.js";
import { INBOX_IDS, inboxPhase } from "./http-inbox.js";

const BARE = "bare node:http (no validation: the limit)";
const PARSE = "node:http + JSON.parse, no validation (the floor of any validating receiver)";
export const PROJECT = "**createNodeHandler** (this package)";
const PROJECT_VERIFY = "**verifyNodeRequest + sendNodeResult** (this package)";
const LISTEN = "**CLI `listen`** (this package, logs every request)";
const FASTIFY = "fastify 5 + schema";
const EOV = "express 5 + express-openapi-validator";
const PRISM = "Prism mock";

/**
 * The yardsticks: bare node:http plus this much pure CPU per request (bench/lib/busy-loop.ts), so
 * a run shows how much work a ratio to bare leaves room for, before any parsing is written.
 */
const BUSY_US = [1, 2] as const;
const busyName = (us: number) => `bare node:http + ${us} µs of busy CPU per request (a yardstick)`;

/** `--servers` ids, in the order the servers are measured. */
export const SERVER_IDS = [
  "bare",
  ...BUSY_US.map((us) => `busy-${us}` as const),
  "parse",
  "ajv",
  "project",
  "project-verify",
  "listen",
  "fastify",
  "eov",
  "openapi-backend",
  "prism",
  ...INBOX_IDS,
] as const;

interface ServerPlan {
  /** Short name for `--servers`. */
  readonly id: string;
  readonly name: string;
  readonly start: () => Promise<RunningServer>;
}

/**
 * Node flags of every server the HTTP part measures. V8's memory reducer collects garbage once a
 * process has gone idle after allocating. Ad hoc (6 processes of one server pinned to one core,
 * each sent the verdicts' valid and invalid notifications, then POST and GET load in turn), the
 * processes that had sat idle about 6–10 s before their load ran 21–32% more CPU per request than
 * the others for the rest of their lives, the extra user time in V8's runtime migrating objects to
 * new maps: node:http + JSON.parse + ajv and createNodeHandler alike, 2–3 of 6 processes in each
 * of 4 runs, none of 6 in the one run with the reducer off. In the rounds every server but bare
 * node:http sits idle about a minute between its samples, while bare serves in every duel, so the
 * reducer made a lottery into a bias against every other server. Off for all.
 */
const HTTP_NODE_ARGS: readonly string[] = ["--no-memory-reducer"];

/** Every HTTP server this part can start, as `--servers` names them; what could not be built goes to `missing`. */
export function httpServerPlans(ctx: SuiteContext, missing: string[]): ServerPlan[] {
  const entry = (id: string, name: string, file: string, env?: Record<string, string>): ServerPlan | undefined => {
    const path = ctx.entries.files.get(file);
    if (path === undefined) {
      missing.push(`${name}: ${ctx.entries.failed.get(file) ?? "not built"}`);
      return undefined;
    }
    const run = { nodeArgs: HTTP_NODE_ARGS, ...(env === undefined ? {} : { env }) };
    return { id, name, start: () => startEntryServer(name, path, ctx.root, run) };
  };
  const cli = ctx.entries.files.get("cli");
  if (cli === undefined) missing.push(`${LISTEN}: ${ctx.entries.failed.get("cli") ?? "not built"}`);
  return [
    entry("bare", BARE, "server-bare"),
    ...BUSY_US.map((us) =>
      entry(`busy-${us}`, busyName(us), "server-busy", { IMPACT_BENCH_BUSY_NS: String(us * 1_000) }),
    ),
    entry("parse", PARSE, "server-parse"),
    entry("ajv", "node:http + JSON.parse + ajv", "server-ajv"),
    entry("project", PROJECT, "server-project"),
    entry("project-verify", PROJECT_VERIFY, "server-project-verify"),
    cli === undefined
      ? undefined
      : { id: "listen", name: LISTEN, start: () => startListen(LISTEN, cli, ctx.root, PATH, HTTP_NODE_ARGS) },
    entry("fastify", FASTIFY, "server-fastify"),
    entry("eov", EOV, "server-express-openapi-validator"),
    entry("openapi-backend", "node:http + openapi-backend", "server-openapi-backend"),
    { id: "prism", name: PRISM, start: () => startPrism(PRISM, ctx.root, HTTP_NODE_ARGS) },
  ].filter((p): p is ServerPlan => p !== undefined);
}

/** Each server's verdicts; the servers that are not meant to validate say so instead. */
async function serverVerdicts(server: RunningServer): Promise<string> {
  if (server.name === BARE) return (await verdicts(server, "validates nothing (the limit)")).text;
  if (BUSY_US.some((us) => server.name === busyName(us))) {
    const busyNs = (await server.stats())?.busyNs;
    return `validates nothing; its busy loop measured ${busyNs === undefined ? "n/a" : `${fmt(busyNs / 1_000, 2)} µs`} at start`;
  }
  if (server.name === PARSE) return (await verdicts(server, "validates nothing (parses only)")).text;
  return (await verdicts(server)).text;
}

function measure(server: RunningServer, method: Method, ctx: SuiteContext, durationS: number): Promise<Sample> {
  return measureLoad(ctx, server, method, {
    connections: ctx.mode.http.connections,
    durationS,
    ...(ctx.mode.http.requests === undefined ? {} : { amount: ctx.mode.http.requests }),
  });
}

const key = (server: string, method: Method) => `${method} ${server}`;

/**
 * What the parse-only server's parsing costs in a warm loop in this process (median ns/op): the
 * POST body's `JSON.parse`, the GET query's `URLSearchParams` into a record. Set beside the
 * yardsticks, it shows how much more the same work costs inside a server.
 */
async function warmParseNs(m: Method, ctx: SuiteContext): Promise<number> {
  const op = m === "POST" ? () => JSON.parse(bodies.small) : () => Object.fromEntries(new URLSearchParams(query));
  const [result] = await measureGroup([{ name: "parse", role: "floor", batch: syncBatch(op) }], ctx.mode.inProcess);
  return median(result?.samples ?? []);
}

/**
 * The median over a server's duels of `of(sample, its bare neighbour)`, skipping duels where `of`
 * gives nothing; undefined when none gave a value. For bare itself, a ratio is 1 by definition.
 */
function overDuels(
  samples: Map<string, Sample[]>,
  name: string,
  method: Method,
  of: (sample: Sample, bare: Sample) => number | undefined,
  self?: number,
): number | undefined {
  const list = samples.get(key(name, method)) ?? [];
  if (name === BARE && self !== undefined) return list.length > 0 ? self : undefined;
  const values: number[] = [];
  for (const x of list) {
    const value = x.bare === undefined ? undefined : of(x, x.bare);
    if (value !== undefined) values.push(value);
  }
  return values.length > 0 ? median(values) : undefined;
}

/**
 * Each sample of a server is taken right next to a sample of bare node:http (`Sample.bare`), so
 * "× bare" is the median of ratios of neighbours: the machine's drift, which moves both, cancels.
 * A ratio between two servers is the ratio of their "× bare" medians.
 */
function ratioToBare(samples: Map<string, Sample[]>, name: string, method: Method): number | undefined {
  return overDuels(samples, name, method, (x, bare) => x.reqPerSec / bare.reqPerSec, 1);
}

function pairedRatio(samples: Map<string, Sample[]>, a: string, b: string, method: Method): number | undefined {
  const x = ratioToBare(samples, a, method);
  const y = ratioToBare(samples, b, method);
  return x === undefined || y === undefined ? undefined : x / y;
}

/**
 * Median over the duels of bare's CPU per request ÷ the server's: the share of bare's capacity the
 * server would reach where the server's CPU is the limit. Less exposed than req/s to the load
 * generator sharing the machine's two cores; reported beside the target, not instead of it.
 */
function cpuRatioToBare(samples: Map<string, Sample[]>, name: string, method: Method): number | undefined {
  return overDuels(
    samples,
    name,
    method,
    (x, bare) =>
      x.cpuUsPerRequest === undefined || bare.cpuUsPerRequest === undefined || x.cpuUsPerRequest <= 0
        ? undefined
        : bare.cpuUsPerRequest / x.cpuUsPerRequest,
    1,
  );
}

/** Median of (server p99 − its neighbouring bare sample's p99). */
function p99OverBare(samples: Map<string, Sample[]>, name: string, method: Method): number | undefined {
  return overDuels(samples, name, method, (x, bare) => x.p99Ms - bare.p99Ms);
}

/**
 * How steady the machine was: the range of bare node:http's own samples, which should not move at
 * all. The wider it is, the less any single ratio of this run means.
 */
function runQuality(samples: Map<string, Sample[]>): string {
  const parts = METHODS.map((m) => {
    const list = samples.get(key(BARE, m)) ?? [];
    const rps = list.map((x) => x.reqPerSec);
    const cpu = list.map((x) => x.cpuUsPerRequest).filter((v): v is number => v !== undefined);
    const range = (v: number[], digits = 0) => `${fmt(Math.min(...v), digits)}–${fmt(Math.max(...v), digits)}`;
    return `${m} ${range(rps)} req/s${cpu.length > 0 ? ` (CPU ${range(cpu, 1)} µs/request)` : ""} over ${list.length} samples`;
  });
  return `Run quality: bare node:http, which never changes, ranged ${parts.join("; ")}. The wider these ranges, the less a single ratio of this run means.`;
}

/**
 * A measured sample and where it was taken: its round (0-based) or, in the head-to-head phase,
 * its duel's number and the server it was paired with.
 */
type Taken = {
  readonly server: string;
  readonly method: Method;
  readonly sample: Sample;
} & ({ readonly round: number } | { readonly headToHead: { readonly duel: number; readonly against: string } });

/** `--samples`: every sample as one JSON array, in the order they were taken. */
function writeSamples(file: string, taken: readonly Taken[]): void {
  const rows = taken.map(({ server, method, sample: x, ...where }) => ({
    ...("round" in where
      ? { round: where.round }
      : { headToHead: where.headToHead.duel, against: where.headToHead.against }),
    method,
    server,
    reqPerSec: x.reqPerSec,
    cpuUsPerRequest: x.cpuUsPerRequest,
    p50Ms: x.p50Ms,
    p99Ms: x.p99Ms,
    requests: x.requests,
  }));
  writeFileSync(file, `${JSON.stringify(rows, null, 1)}\n`);
  progress(`✔ http: ${rows.length} samples written to ${file}`);
}

/** Two samples back to back, `xFirst` deciding which server goes first; returned as [x's, y's]. */
async function duel(
  ctx: SuiteContext,
  x: RunningServer,
  y: RunningServer,
  m: Method,
  xFirst: boolean,
): Promise<[Sample, Sample]> {
  const first = await measure(xFirst ? x : y, m, ctx, ctx.mode.http.durationS);
  const second = await measure(xFirst ? y : x, m, ctx, ctx.mode.http.durationS);
  return xFirst ? [first, second] : [second, first];
}

/** `seconds` of unrecorded load per method on each server, one after the other (nothing when 0). */
async function warmUp(ctx: SuiteContext, servers: readonly RunningServer[], seconds: number): Promise<void> {
  if (seconds > 0) for (const server of servers) for (const m of METHODS) await measure(server, m, ctx, seconds);
}

/** One method's duels between two servers, back to back: `a` and `b` hold the same duel at the same index. */
export interface HeadToHead {
  readonly method: Method;
  readonly a: Sample[];
  readonly b: Sample[];
}

/** The head-to-head phase: the pair it settles, and the control pair (the same server twice). */
export interface HeadToHeadRun {
  readonly pair: readonly HeadToHead[];
  readonly control: readonly HeadToHead[];
  /** How many fresh sets of processes the duels ran on. */
  readonly blocks: number;
}

const CONTROL = `${PROJECT}, a second process (control)`;

/**
 * Duels between two servers (`headToHead` per method), after the rounds, in blocks. Each block
 * starts a fresh process of `a`, of `b` and a second one of `a` (in an order rotated block by
 * block), warms them up, runs one control duel per method between the two processes of `a`, then
 * its share of the duels between `a` and `b`, back to back (alternating which goes first), and
 * stops them. Every duel is between processes that have served the same load before it.
 *
 * Why blocks: in an ad-hoc A/A test (6 runs of 15 paired rounds), two processes of the very same
 * server measured 1–10% apart over a whole run, the one listed second behind in every run; whether
 * that comes with the process or with its place in that harness is not established. Either way,
 * duels between one pair of processes may measure that pair rather than the two servers. The
 * blocks put several pairs, started in rotated orders, into the median, and the control shows, in
 * the same run, what a difference of nothing measures. "Ahead of fastify" is a ratio near 1: as the quotient of two
 * ratios to bare it would carry both their noises; a direct duel's ratio carries one.
 */
async function headToHead(
  ctx: SuiteContext,
  a: ServerPlan,
  b: ServerPlan,
  record: (duel: number, server: string, against: string, m: Method, sample: Sample) => void,
): Promise<HeadToHeadRun> {
  const count = ctx.mode.http.headToHead;
  const blocks = Math.min(ctx.mode.http.headToHeadBlocks, count);
  const pair = METHODS.map((method): HeadToHead => ({ method, a: [], b: [] }));
  const control = METHODS.map((method): HeadToHead => ({ method, a: [], b: [] }));
  /** Started in a rotated order per block: `a`, `b`, and `a` again for the control. */
  const plans = [a, b, a] as const;
  const t = performance.now();
  let d = 0;
  for (let k = 0; k < blocks; k++) {
    const running: (RunningServer | undefined)[] = [];
    try {
      for (let i = 0; i < plans.length; i++) {
        const j = (k + i) % plans.length;
        running[j] = await (plans[j] as ServerPlan).start();
      }
      const [x, y, x2] = running as [RunningServer, RunningServer, RunningServer];
      await warmUp(ctx, [x, y, x2], ctx.mode.http.warmupS);
      // The control first, while both processes of `a` have the same history; then `b` gets one
      // sample per method, as the control gave `a`, so the pair also meets with the same history.
      for (const h of control) {
        const [sx, sx2] = await duel(ctx, x, x2, h.method, k % 2 === 0);
        h.a.push(sx);
        h.b.push(sx2);
        record(k, a.name, CONTROL, h.method, sx);
        record(k, CONTROL, a.name, h.method, sx2);
      }
      for (const m of METHODS) await measure(y, m, ctx, ctx.mode.http.durationS);
      for (const end = Math.round(((k + 1) * count) / blocks); d < end; d++) {
        for (const h of pair) {
          const [sx, sy] = await duel(ctx, x, y, h.method, d % 2 === 0);
          h.a.push(sx);
          h.b.push(sy);
          record(d, a.name, b.name, h.method, sx);
          record(d, b.name, a.name, h.method, sy);
        }
      }
    } finally {
      await Promise.all(running.map((server) => server?.stop()));
    }
    progress(`✔ http head to head: block ${k + 1}/${blocks}, ${d}/${count} duels (${elapsed(t)})`);
  }
  return { pair, control, blocks };
}

/** Per duel, `a`'s req/s ÷ `b`'s; and `b`'s CPU per request ÷ `a`'s, where both were measured. */
function duelRatios(duel: HeadToHead): { readonly rps: number[]; readonly cpu: number[] } {
  const rps = duel.a.map((x, i) => x.reqPerSec / (duel.b[i] as Sample).reqPerSec);
  const cpu: number[] = [];
  for (const [i, x] of duel.a.entries()) {
    const y = (duel.b[i] as Sample).cpuUsPerRequest;
    if (x.cpuUsPerRequest !== undefined && x.cpuUsPerRequest > 0 && y !== undefined) cpu.push(y / x.cpuUsPerRequest);
  }
  return { rps, cpu };
}

function headToHeadMarkdown(run: HeadToHeadRun, a: string, b: string, durationS: number): string {
  const range = (v: number[]) => `${fmtRatio(quantile(v, 0.25))}–${fmtRatio(quantile(v, 0.75))}`;
  const row = (against: string) => (duel: HeadToHead) => {
    const { rps, cpu } = duelRatios(duel);
    return [
      duel.method,
      against,
      fmt(rps.length),
      `${fmt(rps.filter((r) => r > 1).length)} of ${fmt(rps.length)}`,
      fmtRatio(median(rps)),
      range(rps),
      cpu.length > 0 ? fmtRatio(median(cpu)) : "n/a",
      cpu.length > 0 ? range(cpu) : "n/a",
    ];
  };
  const rows = METHODS.flatMap((m) => [
    ...run.pair.filter((d) => d.method === m).map(row(b)),
    ...run.control.filter((d) => d.method === m).map(row("a second process of itself (control)")),
  ]);
  return [
    `### Head to head: ${a} against ${b}`,
    "",
    `After the rounds, ${run.pair[0]?.a.length ?? 0} duel(s) per method of ${durationS} s each, the two servers back to back`,
    `(alternating which goes first), on ${run.blocks} fresh set(s) of processes: each set is started (in an order`,
    "rotated set by set), warmed up and stopped after its share of the duels, because in an ad-hoc A/A test two",
    "processes of one server measured several percent apart over a whole run. Each set first holds one control duel per",
    "method between two processes of this package: what a difference of nothing measures in this run.",
    "Every duel is between processes that have served the same load before it.",
    "“× req/s” is the median over the duels of the first server's req/s ÷ the second's; “× by CPU” of the",
    "second's CPU/request ÷ the first's. Above 1× the first server is ahead. The interquartile range and the",
    "duels won show how settled the median is.",
    "",
    table(["method", "against", "duels", "won", "× req/s", "IQR", "× by CPU", "IQR (CPU)"], rows),
  ].join("\n");
}

/**
 * "Ahead of fastify" from the head-to-head duels, with the control beside it; not measured when
 * they did not run (fastify not among `--servers`).
 */
export function aheadOfFastify(run: HeadToHeadRun | undefined, m: Method): TargetCheck {
  const target = `${m} through createNodeHandler ahead of fastify`;
  const duel = run?.pair.find((d) => d.method === m);
  if (duel === undefined || duel.a.length === 0) {
    return { target, measured: "not measured", met: undefined, note: "no head-to-head duels with fastify ran" };
  }
  const { rps, cpu } = duelRatios(duel);
  // Ahead means above 1: a tie is not ahead.
  const result = check(target, median(rps), 1, fmtRatio, "above");
  const won = `won ${rps.filter((r) => r > 1).length} of ${rps.length} head-to-head duels`;
  const byCpu = cpu.length > 0 ? `, by CPU per request ${fmtRatio(median(cpu))}` : "";
  const control = run?.control.find((d) => d.method === m);
  const same =
    control === undefined || control.a.length === 0
      ? ""
      : `; two processes of this package, the control, measured ${fmtRatio(median(duelRatios(control).rps))}`;
  return { ...result, note: [result.note, `${won}${byCpu}${same}`].filter(Boolean).join("; ") };
}

export async function httpSection(ctx: SuiteContext): Promise<Section> {
  const missing: string[] = [];
  const wanted = httpServerPlans(ctx, missing).filter(
    (p) => p.name === PROJECT || ctx.servers === undefined || ctx.servers.includes(p.id),
  );
  const servers: RunningServer[] = [];
  let section: Section;
  try {
    const t = performance.now();
    const started = await Promise.allSettled(wanted.map((p) => p.start()));
    for (const [i, s] of started.entries()) {
      if (s.status === "fulfilled") servers.push(s.value);
      else
        missing.push(
          `${wanted[i]?.name}: ${s.reason instanceof Error ? s.reason.message.split("\n")[0] : String(s.reason)}`,
        );
    }
    progress(`✔ http: ${servers.length} servers up (${elapsed(t)})`);
    section = await rounds(ctx, servers, wanted, missing);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  // The inbox's comparison, on fresh processes of its own once the others are gone.
  const inboxes = INBOX_IDS.filter((id) => ctx.servers === undefined || ctx.servers.includes(id));
  if (inboxes.length === 0) return section;
  const bare = ctx.servers === undefined || ctx.servers.includes("bare");
  const inbox = await inboxPhase(ctx, inboxes, bare, HTTP_NODE_ARGS);
  return {
    ...section,
    markdown: `${section.markdown.trimEnd()}\n\n${inbox.markdown}\n`,
    targets: [...section.targets, ...inbox.targets],
  };
}

async function rounds(
  ctx: SuiteContext,
  servers: RunningServer[],
  plansWanted: readonly ServerPlan[],
  missing: string[],
): Promise<Section> {
  const checks = new Map<string, string>();
  for (const s of servers) {
    checks.set(s.name, await serverVerdicts(s).catch((e: unknown) => `check failed: ${String(e)}`));
  }
  const { rounds: count, durationS, warmupS } = ctx.mode.http;
  if (warmupS > 0) {
    await warmUp(ctx, servers, warmupS);
    progress(`✔ http: warm-up done`);
  }
  const has = (name: string) => servers.some((s) => s.name === name);
  const samples = new Map<string, Sample[]>();
  /** Every sample in the order taken, for `--samples`. */
  const taken: Taken[] = [];
  const add = (round: number, name: string, m: Method, sample: Sample) => {
    const list = samples.get(key(name, m)) ?? [];
    list.push(sample);
    samples.set(key(name, m), list);
    taken.push({ round, server: name, method: m, sample });
  };
  const bare = servers.find((s) => s.name === BARE);
  const others = servers.filter((s) => s !== bare);
  for (let r = 0; r < count; r++) {
    const t = performance.now();
    for (let k = 0; k < others.length; k++) {
      const server = others[(r + k) % others.length] as RunningServer;
      for (const m of METHODS) {
        if (bare === undefined) {
          add(r, server.name, m, await measure(server, m, ctx, durationS));
          continue;
        }
        // A duel: bare and this server back to back, alternating which goes first.
        const [b, x] = await duel(ctx, bare, server, m, (r + k) % 2 === 0);
        add(r, BARE, m, b);
        add(r, server.name, m, { ...x, bare: b });
      }
    }
    progress(`✔ http round ${r + 1}/${count} (${elapsed(t)})`);
  }
  // Fresh processes of the two servers, where both started for the rounds.
  const plan = (name: string) => (has(name) ? plansWanted.find((p) => p.name === name) : undefined);
  const project = plan(PROJECT);
  const fastify = plan(FASTIFY);
  const duels =
    project === undefined || fastify === undefined || ctx.mode.http.headToHead === 0
      ? undefined
      : await headToHead(ctx, project, fastify, (duel, server, against, method, sample) =>
          taken.push({ server, method, sample, headToHead: { duel, against } }),
        );
  if (ctx.samplesFile !== undefined) writeSamples(ctx.samplesFile, taken);
  const rows: string[][] = [];
  for (const m of METHODS) {
    for (const s of servers) {
      const list = samples.get(key(s.name, m)) ?? [];
      const cpu = list.map((x) => x.cpuUsPerRequest).filter((v): v is number => v !== undefined);
      const failures = list.reduce((n, x) => n + x.non2xx + x.errors, 0);
      rows.push([
        m,
        s.name,
        fmt(median(list.map((x) => x.reqPerSec))),
        has(BARE) ? fmtRatio(ratioToBare(samples, s.name, m)) : "n/a",
        fmt(median(list.map((x) => x.p50Ms)), 2),
        fmt(median(list.map((x) => x.p99Ms)), 2),
        cpu.length > 0 ? fmt(median(cpu), 1) : "n/a",
        has(BARE) ? fmtRatio(cpuRatioToBare(samples, s.name, m)) : "n/a",
        failures === 0 ? "0" : `**${fmt(failures)}**`,
        checks.get(s.name) ?? "",
      ]);
    }
  }
  const targets: TargetCheck[] = [];
  for (const m of METHODS) {
    const vsBare = check(
      `${m} through createNodeHandler ≥ 0.95× bare node:http req/s`,
      ratioToBare(samples, PROJECT, m),
      0.95,
      fmtRatio,
    );
    // Where it is missed, say where the floor of any validating receiver lies in the same run,
    // and what the CPU per request says (the load generator shares the two cores).
    const floor = ratioToBare(samples, PARSE, m);
    const byCpu = cpuRatioToBare(samples, PROJECT, m);
    const floorByCpu = cpuRatioToBare(samples, PARSE, m);
    const yardsticks = BUSY_US.flatMap((us) => {
      const r = ratioToBare(samples, busyName(us), m);
      return r === undefined ? [] : [`${us} µs ${fmtRatio(r)}`];
    });
    const room =
      yardsticks.length === 0 || vsBare.note === undefined
        ? ""
        : `; bare node:http plus pure CPU per request, no parsing at all, reaches: ${yardsticks.join(", ")}, while ${
            m === "POST" ? "JSON.parse of this body" : "URLSearchParams of this query"
          } alone takes ${fmt((await warmParseNs(m, ctx)) / 1_000, 2)} µs in a warm loop`;
    targets.push(
      vsBare.note === undefined || floor === undefined
        ? vsBare
        : {
            ...vsBare,
            note: `${vsBare.note}; parsing alone, with no validation, reaches ${fmtRatio(floor)}${
              byCpu === undefined || floorByCpu === undefined
                ? ""
                : ` (by CPU per request: this package ${fmtRatio(byCpu)}, parsing alone ${fmtRatio(floorByCpu)})`
            }${room}`,
          },
      aheadOfFastify(duels, m),
      check(
        `${m} through createNodeHandler ≥ 5× express-openapi-validator`,
        pairedRatio(samples, PROJECT, EOV, m),
        5,
        fmtRatio,
      ),
      check(`${m} through createNodeHandler ≥ 10× Prism`, pairedRatio(samples, PROJECT, PRISM, m), 10, fmtRatio),
    );
    const over = p99OverBare(samples, PROJECT, m);
    targets.push({
      target: `${m} p99 through createNodeHandler ≤ bare p99 + 1 ms`,
      measured: over === undefined ? "not measured" : `${fmtSigned(over, 2)} ms`,
      met: over === undefined ? undefined : over <= 1,
      ...(over !== undefined && over > 1 ? { note: `missed by ${fmt(over - 1, 2)} ms` } : {}),
    });
  }
  const markdown = [
    `${count} round(s) of ${ctx.mode.http.requests === undefined ? `${durationS} s` : `${ctx.mode.http.requests} requests`} per server and method, ${ctx.mode.http.connections} connections,`,
    `after ${warmupS} s of warm-up each; autocannon runs in a fresh process for each sample, each server in its own,`,
    `started with \`${HTTP_NODE_ARGS.join(" ")}\` (bench/suites/http.ts says why: idle between samples, V8's memory`,
    "reducer left some processes of one server 21–32% slower per request for good, and bare node:http serves in every duel).",
    "Valid requests only: the small POST body (documented example) and the documented GET query.",
    "The yardsticks are bare node:http plus a calibrated loop of pure integer arithmetic per request",
    "(bench/lib/busy-loop.ts; each row says what its loop measured): what that much work, with no",
    "allocation and no parsing, costs a server here, so a ratio such as 0.95× reads as a budget in µs.",
    "Each sample is a duel: bare node:http and the server back to back (alternating which goes first), and",
    "“× bare” is the median of the duels' ratios, so drift of this shared machine hits both sides; the",
    "bare row pools its duel samples. Target p99s compare each duel's pair. p50/p99 come from every response's",
    "own latency. CPU/request is the server process's user+system CPU over the sample divided by its requests",
    "(process.cpuUsage() over IPC; /proc/<pid>/stat for Prism and the CLI); “× bare, by CPU” is the median over",
    "the duels of bare's CPU/request ÷ the server's: its share of bare's capacity where server CPU is the limit,",
    "less exposed to autocannon sharing the two cores than req/s is. “Verdicts” sends one valid and",
    "several invalid notifications first and lists what a server got wrong.",
    "",
    table(
      [
        "method",
        "server",
        "req/s",
        "× bare",
        "p50 ms",
        "p99 ms",
        "CPU µs/req",
        "× bare, by CPU",
        "non-2xx/errors",
        "verdicts",
      ],
      rows,
    ),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    ...(has(BARE) ? ["", runQuality(samples)] : []),
    ...(duels === undefined ? [] : ["", headToHeadMarkdown(duels, PROJECT, FASTIFY, durationS)]),
    "",
  ].join("\n");
  return { title: "HTTP", markdown, targets };
}
