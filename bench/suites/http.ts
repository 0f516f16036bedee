/**
 * HTTP: every server in its own process on 127.0.0.1, loaded by autocannon in a fresh process per
 * sample. Three comparisons, each rounds of duels (bench/lib/http-measure.ts): every server
 * against bare node:http; this package's adapter against fastify, whose ratio is near 1, on fresh
 * sets of processes beside a control (a second process of the adapter); the durable inbox
 * (http-inbox.ts). Memory at saturation: memory.ts.
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
const FASTIFY = "fastify 5 + schema";
const EOV = "express 5 + express-openapi-validator";
const PRISM = "Prism mock";
const CONTROL = "**createNodeHandler**, a second process (control)";

/** `--servers` ids (bare node:http and this package's adapter always run). */
export const SERVER_IDS = [
  "bare",
  "ajv",
  "project",
  "fastify",
  "eov",
  "openapi-backend",
  "prism",
  ...INBOX_IDS,
] as const;

/** The servers of the comparison with bare node:http, bare first. */
export function httpServerPlans(ctx: SuiteContext, missing: string[]): ServerPlan[] {
  const entries = [
    ["bare", BARE, "server-bare"],
    ["ajv", "node:http + JSON.parse + ajv (hand-rolled)", "server-ajv"],
    ["project", PROJECT, "server-project"],
    ["fastify", FASTIFY, "server-fastify"],
    ["eov", EOV, "server-express-openapi-validator"],
    ["openapi-backend", "node:http + openapi-backend", "server-openapi-backend"],
  ] as const;
  return [
    ...entries.flatMap((e) => entryPlan(ctx, missing, e) ?? []),
    { id: "prism", name: PRISM, start: () => startPrism(PRISM, ctx.root, HTTP_NODE_ARGS) },
  ];
}

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

/** Median over the duels of (the adapter's p99 − its bare neighbour's). */
function p99OverBare(run: DuelRun, m: Method): number | undefined {
  const values = perDuel(run, PROJECT, m, (x, ref) => x.p99Ms - ref.p99Ms);
  return values.length > 0 ? median(values) : undefined;
}

/** Per duel with fastify (or the control), the adapter's req/s ÷ the other's. */
const ahead = (run: DuelRun, name: string, m: Method) => perDuel(run, name, m, (x, ref) => ref.reqPerSec / x.reqPerSec);

/** "Ahead of fastify" from the head-to-head duels, the control beside it. */
export function aheadOfFastify(run: DuelRun | undefined, m: Method): TargetCheck {
  const target = `${m} through createNodeHandler ahead of fastify`;
  const ratios = run === undefined ? [] : ahead(run, FASTIFY, m);
  if (run === undefined || ratios.length === 0) {
    return { target, measured: "not measured", met: undefined, note: "no head-to-head duels with fastify ran" };
  }
  // Ahead means above 1: a tie is not ahead.
  const result = check(target, median(ratios), 1, "above");
  const control = ahead(run, CONTROL, m);
  const notes = [
    result.note,
    `won ${ratios.filter((r) => r > 1).length} of ${ratios.length} head-to-head duels`,
    control.length === 0
      ? undefined
      : `a second process of this package, the control, measured ${fmtRatio(median(control))}`,
  ];
  return { ...result, note: notes.filter(Boolean).join("; ") };
}

function headToHeadMarkdown(run: DuelRun, ctx: SuiteContext): string {
  const rows = METHODS.flatMap((m) =>
    [FASTIFY, CONTROL].map((name) => {
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
  const { headToHead, headToHeadBlocks, durationS } = ctx.mode.http;
  return [
    `### Head to head: ${PROJECT} against ${FASTIFY}`,
    "",
    `${headToHead} duel(s) per method and server of ${durationS} s, spread over ${Math.min(headToHead, headToHeadBlocks)} fresh set(s) of processes (ad hoc, two`,
    "processes of one server measured several percent apart over a whole run). The control is a second process",
    "of this package: what a difference of nothing measures. “× req/s”: the median over the duels of this",
    "package's req/s ÷ the other's; above 1× this package is ahead.",
    "",
    table(["method", "against", "duels", "won", "× req/s", "IQR"], rows),
  ].join("\n");
}

export async function httpSection(ctx: SuiteContext): Promise<Section> {
  const missing: string[] = [];
  const plans = httpServerPlans(ctx, missing);
  const wanted = (p: ServerPlan) => ctx.servers === undefined || ctx.servers.includes(p.id);
  const [bare, ...others] = plans.filter((p) => ["bare", "project"].includes(p.id) || wanted(p));
  if (bare?.id !== "bare") return { title: "HTTP", markdown: `Not measured: ${missing.join("; ")}\n`, targets: [] };
  const checks = new Map<string, string>();
  const vsBare = await duelRounds({
    label: "vs bare",
    reference: bare,
    others,
    duels: ctx.mode.http.rounds,
    blocks: 1,
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
  missing.push(...vsBare.missing);
  const project = plans.find((p) => p.id === "project");
  const fastify = others.find((p) => p.id === "fastify");
  const h2h =
    project === undefined || fastify === undefined || ctx.mode.http.headToHead === 0
      ? undefined
      : await duelRounds({
          label: "head to head",
          reference: project,
          others: [fastify, entryPlan(ctx, missing, ["control", CONTROL, "server-project"])].filter(
            (p) => p !== undefined,
          ),
          duels: ctx.mode.http.headToHead,
          blocks: ctx.mode.http.headToHeadBlocks,
          sample: sample(ctx),
          prepare: (servers) => warmUp(ctx, servers),
        });
  const ratio = (a: string, b: string, m: Method) => {
    const x = vsReference(vsBare, a, m);
    const y = vsReference(vsBare, b, m);
    return x === undefined || y === undefined ? undefined : x / y;
  };
  const targets = METHODS.flatMap((m): TargetCheck[] => {
    const over = p99OverBare(vsBare, m);
    return [
      aheadOfFastify(h2h, m),
      check(`${m} through createNodeHandler ≥ 5× express-openapi-validator`, ratio(PROJECT, EOV, m), 5),
      check(`${m} through createNodeHandler ≥ 10× Prism`, ratio(PROJECT, PRISM, m), 10),
      {
        target: `${m} p99 through createNodeHandler ≤ bare p99 + 1 ms`,
        measured: over === undefined ? "not measured" : `${fmtSigned(over, 2)} ms`,
        met: over === undefined ? undefined : over <= 1,
        ...(over !== undefined && over > 1 ? { note: `missed by ${fmt(over - 1, 2)} ms` } : {}),
      },
    ];
  });
  const quality = METHODS.map((m) => {
    const rps = samplesOf(vsBare, BARE, m).map((x) => x.reqPerSec);
    return `${m} ${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))} req/s over ${rps.length} samples`;
  });
  const { rounds, durationS, warmupS, connections, requests } = ctx.mode.http;
  const markdown = [
    `${rounds} round(s) of one duel with bare node:http per server and method, ${requests === undefined ? `${durationS} s` : `${requests} requests`} a sample, ${connections}`,
    `connections, after ${warmupS} s of warm-up each; every server started with \`${HTTP_NODE_ARGS.join(" ")}\` (bench/suites/http.ts`,
    "says why). Valid requests only: the small POST body (the documented example) and the documented GET query.",
    "“× bare” is the median of the duels' ratios, a ratio between two servers the ratio of their “× bare”, and",
    "the p99 target compares each duel's pair. p50/p99 from every response's own latency. CPU/request: the server",
    "process's user+system CPU over the sample ÷ its requests. “Verdicts”: one valid and several invalid",
    "notifications sent first, and what a server got wrong.",
    "",
    table(
      [...sampleColumns("× bare"), "verdicts"],
      sampleRows(vsBare, (name) => [checks.get(name) ?? ""]),
    ),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    "",
    `Run quality: bare node:http, which never changes, ranged ${quality.join("; ")}. The wider these ranges, the less a single ratio of this run means.`,
    ...(h2h === undefined ? [] : ["", headToHeadMarkdown(h2h, ctx)]),
    "",
  ];
  const inboxes = INBOX_IDS.filter((id) => ctx.servers === undefined || ctx.servers.includes(id));
  const inbox = inboxes.length === 0 ? undefined : await inboxPhase(ctx, inboxes, wanted(bare));
  return {
    title: "HTTP",
    markdown: [...markdown, ...(inbox === undefined ? [] : [inbox.markdown, ""])].join("\n"),
    targets: [...targets, ...(inbox?.targets ?? [])],
  };
}
