/**
 * HTTP: every server in its own process on 127.0.0.1, started with Node's default flags, loaded by
 * autocannon in a fresh process per sample. One comparison: duels of this package's adapter with
 * every other server (bench/lib/http-measure.ts), on fresh sets of processes, beside a control (a
 * second process of the adapter: what a difference of nothing measures), every server sampled once
 * a round. The servers whose ratio a target puts near 1 (parse-only, fastify, bare node:http, the
 * control) are in every round; the rest, far from any threshold, in the first round of each set. The durable inbox: http-inbox.ts;
 * memory at saturation: memory.ts.
 */
import { fmt, fmtRatio, fmtSigned, table } from "../lib/format.js";
import {
  check,
  type DuelRun,
  duelRounds,
  entryPlan,
  HTTP_NODE_ARGS,
  METHODS,
  type Method,
  measureLoad,
  perDuel,
  type Sample,
  type ServerPlan,
  sampleColumns,
  sampleRows,
  samplesOf,
  verdicts,
  vsReference,
} from "../lib/http-measure.js";
import type { Section, SuiteContext, TargetCheck } from "../lib/section.js";
import { type RunningServer, startPrism } from "../lib/servers.js";
import { median, quantile } from "../lib/stats.js";
import { INBOX_IDS, inboxPhase } from "./http-inbox.js";

const BARE = "bare node:http (no validation)";
export const PROJECT = "**createNodeHandler** (this package)";
const PARSE_ONLY = "node:http + JSON.parse (parse-only, no validation)";
const FASTIFY = "fastify 5 + schema";
const EOV = "express 5 + express-openapi-validator";
const PRISM = "Prism mock";
const CONTROL = "**createNodeHandler**, a second process (control)";
const NO_REDUCER = "**createNodeHandler**, `--no-memory-reducer`";

/**
 * "Level with parse-only": the adapter's req/s at least this fraction of the parse-only server's
 * (median over the duels). Within 3%: two processes of one server measure a few percent apart (the
 * control, beside every verdict, shows how far in each run).
 */
export const LEVEL = 0.97;

/** `--servers` ids run by default (this package's adapter, bare node:http and the control always run). */
export const DEFAULT_SERVER_IDS = ["bare", "parse", "ajv", "project", "fastify", "eov", "prism", ...INBOX_IDS] as const;
/** Every `--servers` id: the defaults, and the adapter under `--no-memory-reducer`, beside them when asked for. */
export const SERVER_IDS = [...DEFAULT_SERVER_IDS, "no-reducer"] as const;

/** The servers of the duels, this package's adapter (the reference) first. */
export function httpServerPlans(ctx: SuiteContext, missing: string[]): ServerPlan[] {
  const entries = [
    ["project", PROJECT, "server-project"],
    ["bare", BARE, "server-bare"],
    ["parse", PARSE_ONLY, "server-parse"],
    ["ajv", "node:http + JSON.parse + ajv (hand-rolled)", "server-ajv"],
    ["fastify", FASTIFY, "server-fastify"],
    ["eov", EOV, "server-express-openapi-validator"],
  ] as const;
  return [
    ...entries.flatMap((e) => entryPlan(ctx, missing, e) ?? []),
    { id: "prism", name: PRISM, start: () => startPrism(PRISM, ctx.root, HTTP_NODE_ARGS) },
    ...[
      entryPlan(ctx, missing, ["control", CONTROL, "server-project"]),
      entryPlan(ctx, missing, ["no-reducer", NO_REDUCER, "server-project"], { nodeArgs: ["--no-memory-reducer"] }),
    ].flatMap((p) => p ?? []),
  ];
}

/** Ids that run whatever `--servers` says. */
const ALWAYS = new Set(["project", "bare", "control"]);

/** Ids that duel in every round; the others in the first round of each set of processes. */
const CLOSE = new Set(["bare", "parse", "fastify", "control", "no-reducer"]);

function sample(ctx: SuiteContext) {
  const { connections, durationS, requests } = ctx.mode.http;
  return (server: RunningServer, m: Method): Promise<Sample> =>
    measureLoad(ctx, server, m, { connections, durationS, ...(requests === undefined ? {} : { amount: requests }) });
}

/** `warmupS` of unrecorded load per method on each server. */
async function warmUp(ctx: SuiteContext, servers: readonly RunningServer[]): Promise<void> {
  const { warmupS, connections } = ctx.mode.http;
  if (warmupS > 0)
    for (const s of servers) for (const m of METHODS) await measureLoad(ctx, s, m, { connections, durationS: warmupS });
}

/** Per duel with `name`, the adapter's req/s ÷ the other's: above 1 the adapter is ahead. */
export const ahead = (run: DuelRun, name: string, m: Method): number[] =>
  perDuel(run, name, m, (x, ref) => ref.reqPerSec / x.reqPerSec);

/** Median over the duels with bare node:http of (the adapter's p99 − bare's). */
function p99OverBare(run: DuelRun, m: Method): number | undefined {
  const values = perDuel(run, BARE, m, (x, ref) => ref.p99Ms - x.p99Ms);
  return values.length > 0 ? median(values) : undefined;
}

/**
 * A target on the adapter's req/s ÷ `against`'s, decided by the median over their duels, with how
 * many it won and what the control measured beside it.
 */
function duelTarget(
  run: DuelRun | undefined,
  m: Method,
  against: string,
  target: string,
  goal: number,
  reach: "at least" | "above",
): TargetCheck {
  const ratios = run === undefined ? [] : ahead(run, against, m);
  if (run === undefined || ratios.length === 0) {
    return { target, measured: "not measured", met: undefined, note: `no duels with ${against} ran` };
  }
  const result = check(target, median(ratios), goal, reach);
  const control = ahead(run, CONTROL, m);
  const notes = [
    result.note,
    `won ${ratios.filter((r) => r > 1).length} of ${ratios.length} duels`,
    control.length === 0
      ? undefined
      : `a second process of this package, the control, measured ${fmtRatio(median(control))}`,
  ];
  return { ...result, note: notes.filter(Boolean).join("; ") };
}

/** "Ahead of fastify": above 1×, a tie is not ahead. */
export const aheadOfFastify = (run: DuelRun | undefined, m: Method): TargetCheck =>
  duelTarget(run, m, FASTIFY, `${m} through createNodeHandler ahead of fastify`, 1, "above");

/** "Level with parse-only": at least LEVEL× the parse-only server. */
export const levelWithParseOnly = (run: DuelRun | undefined, m: Method): TargetCheck =>
  duelTarget(
    run,
    m,
    PARSE_ONLY,
    `${m} through createNodeHandler ≥ parse-only (read + JSON.parse, no validation), level within ${fmt((1 - LEVEL) * 100)}%`,
    LEVEL,
    "at least",
  );

/** Each other server's duels: how many, won, the adapter's req/s ÷ its (median, IQR). */
function duelsMarkdown(run: DuelRun): string {
  const rows = METHODS.flatMap((m) =>
    run.names.slice(1).map((name) => {
      const r = ahead(run, name, m);
      return [
        m,
        name,
        fmt(r.length),
        `${fmt(r.filter((v) => v > 1).length)} of ${fmt(r.length)}`,
        fmtRatio(median(r)),
        `${fmtRatio(quantile(r, 0.25))}–${fmtRatio(quantile(r, 0.75))}`,
      ];
    }),
  );
  return table(["method", "against", "duels", "won", "× req/s", "IQR"], rows);
}

/** A server's req/s ÷ bare node:http's: the ratio of their medians over their duels with the adapter. */
function vsBare(run: DuelRun, name: string, m: Method): number | undefined {
  const x = vsReference(run, name, m);
  const bare = vsReference(run, BARE, m);
  return x === undefined || bare === undefined ? undefined : x / bare;
}

export async function httpSection(ctx: SuiteContext): Promise<Section> {
  const missing: string[] = [];
  const asked: readonly string[] = ctx.servers ?? DEFAULT_SERVER_IDS;
  const wanted = (p: ServerPlan) => ALWAYS.has(p.id) || asked.includes(p.id);
  const [project, ...others] = httpServerPlans(ctx, missing).filter(wanted);
  if (project?.id !== "project")
    return { title: "HTTP", markdown: `Not measured: ${missing.join("; ")}\n`, targets: [] };
  const checks = new Map<string, string>();
  const { rounds, blocks, durationS, warmupS, connections, requests } = ctx.mode.http;
  const run = await duelRounds({
    label: "duels",
    reference: project,
    others,
    rounds,
    blocks,
    sparse: new Set(others.filter((p) => !CLOSE.has(p.id))),
    sample: sample(ctx),
    prepare: async (servers) => {
      for (const s of servers) {
        const v = await verdicts(s, s.name === BARE ? "validates nothing" : undefined).catch((e: unknown) => ({
          text: `check failed: ${String(e)}`,
        }));
        checks.set(s.name, v.text);
      }
      await warmUp(ctx, servers);
    },
  });
  missing.push(...run.missing);
  const targets = METHODS.flatMap((m): TargetCheck[] => {
    const over = p99OverBare(run, m);
    const times = (name: string) => {
      const r = ahead(run, name, m);
      return r.length > 0 ? median(r) : undefined;
    };
    return [
      levelWithParseOnly(run, m),
      aheadOfFastify(run, m),
      check(`${m} through createNodeHandler ≥ 5× express-openapi-validator`, times(EOV), 5),
      check(`${m} through createNodeHandler ≥ 10× Prism`, times(PRISM), 10),
      {
        target: `${m} p99 through createNodeHandler ≤ bare p99 + 1 ms`,
        measured: over === undefined ? "not measured" : `${fmtSigned(over, 2)} ms`,
        met: over === undefined ? undefined : over <= 1,
        ...(over !== undefined && over > 1 ? { note: `missed by ${fmt(over - 1, 2)} ms` } : {}),
      },
    ];
  });
  const quality = METHODS.map((m) => {
    const rps = samplesOf(run, PROJECT, m).map((x) => x.reqPerSec);
    return `${m} ${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))} req/s over ${rps.length} samples`;
  });
  const rows = sampleRows(
    run,
    (name) => [checks.get(name) ?? ""],
    (name, m) => vsBare(run, name, m),
  );
  const perSample = requests === undefined ? `${durationS} s` : `${requests} requests`;
  const markdown = [
    `${blocks} fresh set(s) of processes, each server in its own, started with Node's default flags; in each set, after`,
    `${warmupS} s of warm-up per server and method, ${rounds} round(s) per method, ${perSample} a sample, ${connections} connections.`,
    "A round samples every server once, **createNodeHandler** among them, in an order rotated every round, so every",
    "server is loaded at the same rhythm and sits idle as long between its samples (V8 sizes a process's young",
    "generation by its recent allocation rate); a duel is a server's sample against the adapter's of the same round.",
    "Parse-only, fastify, bare node:http and the control (a second process of the adapter: what a difference of",
    "nothing measures) are in every round; the others in the first round of each set. Valid requests only: the small",
    "POST body (the documented example) and the documented GET query. p50/p99 from every response's own latency.",
    "CPU/request: the server process's user+system CPU over the sample ÷ its requests. “Verdicts”: one valid and",
    "several invalid notifications sent first, and what a server got wrong.",
    "",
    "“× bare”: a server's req/s ÷ bare node:http's, the ratio of their medians over their duels with the adapter.",
    "",
    table([...sampleColumns("× bare"), "verdicts"], rows),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    "",
    `Run quality: **createNodeHandler**, which never changes, ranged ${quality.join("; ")}. The wider these ranges, the less a single ratio of this run means.`,
    "",
    `### Duels with ${PROJECT}`,
    "",
    "“× req/s”: the median over the duels of the adapter's req/s ÷ the other server's; above 1× the adapter is",
    `ahead, and “won” counts the duels where it was. “Level with parse-only” is met at ${fmtRatio(LEVEL)} or more.`,
    "",
    duelsMarkdown(run),
    "",
  ];
  const inboxes = INBOX_IDS.filter((id) => ctx.servers === undefined || ctx.servers.includes(id));
  const inbox = inboxes.length === 0 ? undefined : await inboxPhase(ctx, inboxes);
  return {
    title: "HTTP",
    markdown: [...markdown, ...(inbox === undefined ? [] : [inbox.markdown, ""])].join("\n"),
    targets: [...targets, ...(inbox?.targets ?? [])],
  };
}
