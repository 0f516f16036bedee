/**
 * What every HTTP comparison is made of. A sample is one bounded load (load.ts) of a server in its
 * own process, with the server's CPU and, for an inbox server, its counters over it. A comparison
 * is rounds of duels (`duelRounds`): each sample of a server against one of a reference server
 * taken in the same round, so a ratio is taken between neighbours in time and the drift of this
 * shared machine moves both sides of it; the median over the duels is reported.
 */
import { fmt, fmtRatio } from "./format.js";
import { bodies, PATH, query, validRequest } from "./inputs.js";
import { type LoadResult, type LoadSpec, load } from "./load.js";
import { elapsed, progress } from "./progress.js";
import type { SuiteContext, TargetCheck } from "./section.js";
import type { InboxServerCounters } from "./serve.js";
import { type RunningServer, startEntryServer } from "./servers.js";
import { median } from "./stats.js";

export type Method = "GET" | "POST";
export const METHODS: readonly Method[] = ["POST", "GET"];

export interface Sample extends LoadResult {
  readonly cpuUsPerRequest: number | undefined;
  /** The reference's sample of the same duel (the same round). */
  readonly reference?: Sample;
  /** An inbox server's counters over the sample. */
  readonly inbox?: InboxServerCounters;
}

export interface ServerPlan {
  /** Its `--servers` id. */
  readonly id: string;
  readonly name: string;
  readonly start: () => Promise<RunningServer>;
}

/**
 * Node flags of every HTTP server: none. Users run Node's defaults, V8's memory reducer included,
 * so every target is decided under them; a variant with other flags is an extra server beside them.
 */
export const HTTP_NODE_ARGS: readonly string[] = [];

/** A bundled server entry, or undefined (and a line in `missing`) when it did not build. */
export function entryPlan(
  ctx: SuiteContext,
  missing: string[],
  [id, name, entry]: readonly [id: string, name: string, entry: string],
  run: { readonly env?: Record<string, string>; readonly nodeArgs?: readonly string[] } = {},
): ServerPlan | undefined {
  const file = ctx.entries.files.get(entry);
  if (file === undefined) {
    missing.push(`${name}: ${ctx.entries.failed.get(entry) ?? "not built"}`);
    return undefined;
  }
  const options = { nodeArgs: run.nodeArgs ?? HTTP_NODE_ARGS, ...(run.env === undefined ? {} : { env: run.env }) };
  return { id, name, start: () => startEntryServer(name, file, ctx.root, options) };
}

const delta = (a: InboxServerCounters, b: InboxServerCounters): InboxServerCounters => ({
  recorded: b.recorded - a.recorded,
  duplicates: b.duplicates - a.duplicates,
  failedWrites: b.failedWrites - a.failedWrites,
  commits: b.commits - a.commits,
});

/** One load of `server` with the valid notification of `method`. */
export async function measureLoad(
  ctx: SuiteContext,
  server: RunningServer,
  method: Method,
  options: Omit<LoadSpec, "url" | "method" | "body">,
): Promise<Sample> {
  const before = await server.stats();
  const result = await load(ctx.entries, ctx.root, { ...validRequest(server.origin, method), ...options });
  const after = await server.stats();
  const cpuUsPerRequest =
    before === undefined || after === undefined || result.requests === 0
      ? undefined
      : (after.cpuUs - before.cpuUs) / result.requests;
  const inbox =
    before?.inbox === undefined || after?.inbox === undefined ? {} : { inbox: delta(before.inbox, after.inbox) };
  return { ...result, cpuUsPerRequest, ...inbox };
}

/**
 * What a server answers to a valid and to invalid notifications (a fast server that accepts
 * everything is no peer): "all right" or what it got wrong, and how many it answered 2xx.
 * `validatesNothing` is said instead for a server not meant to validate (bare node:http).
 */
export async function verdicts(
  server: RunningServer,
  validatesNothing?: string,
): Promise<{ text: string; accepted: number }> {
  const ask = async (q: string | undefined, body?: string) =>
    (
      await fetch(`${server.origin}${PATH}${q === undefined ? "" : `?${q}`}`, {
        ...(body === undefined ? {} : { method: "POST", body, headers: { "content-type": "application/json" } }),
        signal: AbortSignal.timeout(10_000),
      })
    ).status;
  const checks: [string, number, boolean][] = [
    ["valid POST", await ask(undefined, bodies.small), true],
    ["valid GET", await ask(query), true],
    ['"payout":"5,00"', await ask(undefined, bodies.smallInvalid), false],
    ['"payout":true', await ask(undefined, bodies.coercible), false],
    ['"campaign_id":10306 (a number)', await ask(undefined, bodies.numericId), false],
    ["item qty 1e3", await ask(undefined, bodies.largeInvalid), false],
    ["GET payout=5,00", await ask("payout=5%2C00"), false],
  ];
  const ok = (status: number) => status >= 200 && status < 300;
  const accepted = checks.filter(([, status]) => ok(status)).length;
  const wrong = checks.filter(([, status, valid]) => ok(status) !== valid);
  const text =
    validatesNothing ??
    (wrong.length === 0
      ? "all right"
      : wrong.map(([what, status, valid]) => `${valid ? "refused" : "accepted"} ${what} (${status})`).join("; "));
  return { text, accepted };
}

/** A target met at `goal` or beyond it, or, with "above", only beyond it (a value at the goal is level, not met). */
export function check(
  target: string,
  value: number | undefined,
  goal: number,
  reach: "at least" | "above" = "at least",
): TargetCheck {
  const note =
    value === undefined || value > goal
      ? undefined
      : value < goal
        ? `missed by ${(((goal - value) / goal) * 100).toFixed(0)}%`
        : reach === "above"
          ? `level at ${fmtRatio(goal)}, not above it`
          : undefined;
  return {
    target,
    measured: value === undefined ? "not measured" : fmtRatio(value),
    met: value === undefined ? undefined : reach === "above" ? value > goal : value >= goal,
    ...(note === undefined ? {} : { note }),
  };
}

export interface DuelPlan {
  readonly reference: ServerPlan;
  readonly others: readonly ServerPlan[];
  /** Rounds per set of processes: in each, per method, one duel with every other server (`sparse` ones: the first round only). */
  readonly rounds: number;
  /** Fresh sets of processes, one after the other: each started, prepared, given its rounds, stopped. */
  readonly blocks: number;
  /** Servers in the first round of each set only: those far from any threshold a target reads. */
  readonly sparse?: ReadonlySet<ServerPlan>;
  readonly sample: (server: RunningServer, m: Method) => Promise<Sample>;
  /** Run on each set once started (its reference first): verdicts, warm-up. */
  readonly prepare?: (servers: readonly RunningServer[]) => Promise<void>;
  /** For the progress lines. */
  readonly label: string;
}

export interface DuelRun {
  /** `${method} ${name}` → samples; the reference's pooled over its duels. */
  readonly samples: ReadonlyMap<string, readonly Sample[]>;
  /** Servers that ran, the reference first. */
  readonly names: readonly string[];
  readonly missing: readonly string[];
}

const key = (name: string, m: Method) => `${m} ${name}`;

/**
 * The duels of `plan`, set by set and round by round. Per method a round samples every server of
 * the round once, the reference among them, in an order rotated every round; a duel is a server's
 * sample against the reference's of the same round. So every server, the reference too, is loaded
 * at the same rhythm and sits idle as long between its samples: V8 sizes a process's young
 * generation by its recent allocation rate (an idle spell shrinks it, steady load grows it), so a
 * server sampled more often than the others would meet its samples in another state. The rotation
 * puts the reference before and after each server in turn, so drift of the machine cancels over
 * the rounds.
 */
export async function duelRounds(plan: DuelPlan): Promise<DuelRun> {
  const samples = new Map<string, Sample[]>();
  const add = (name: string, m: Method, x: Sample) =>
    samples.set(key(name, m), [...(samples.get(key(name, m)) ?? []), x]);
  const missing = new Set<string>();
  const names = new Set<string>();
  const plans = [plan.reference, ...plan.others];
  const t = performance.now();
  const total = plan.blocks * plan.rounds;
  let done = 0;
  for (let k = 0; k < plan.blocks; k++) {
    const running = new Map<ServerPlan, RunningServer>();
    try {
      for (let i = 0; i < plans.length; i++) {
        const p = plans[(k + i) % plans.length] as ServerPlan;
        try {
          running.set(p, await p.start());
        } catch (error) {
          missing.add(`${p.name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        }
      }
      const reference = running.get(plan.reference);
      if (reference === undefined) break;
      const others = plan.others.flatMap((p) => running.get(p) ?? []);
      for (const s of [reference, ...others]) names.add(s.name);
      await plan.prepare?.([reference, ...others]);
      for (let r = 0; r < plan.rounds; r++, done++) {
        const round = [
          reference,
          ...plan.others.flatMap((p) => (r > 0 && plan.sparse?.has(p) === true ? [] : (running.get(p) ?? []))),
        ];
        for (const m of METHODS) {
          const taken = new Map<RunningServer, Sample>();
          for (let j = 0; j < round.length; j++) {
            const server = round[(done + j) % round.length] as RunningServer;
            taken.set(server, await plan.sample(server, m));
          }
          const ref = taken.get(reference) as Sample;
          add(reference.name, m, ref);
          for (const server of round.slice(1))
            add(server.name, m, { ...(taken.get(server) as Sample), reference: ref });
        }
        progress(`✔ http ${plan.label}: round ${done + 1}/${total} (${elapsed(t)})`);
      }
    } finally {
      await Promise.all([...running.values()].map((s) => s.stop()));
    }
  }
  return { samples, names: [...names], missing: [...missing] };
}

export const samplesOf = (run: DuelRun, name: string, m: Method): readonly Sample[] =>
  run.samples.get(key(name, m)) ?? [];

/** Per duel of `name`, `of(its sample, the reference's)`. */
export const perDuel = (run: DuelRun, name: string, m: Method, of: (x: Sample, ref: Sample) => number): number[] =>
  samplesOf(run, name, m).flatMap((x) => (x.reference === undefined ? [] : [of(x, x.reference)]));

/** Median over the duels of `name`'s req/s ÷ the reference's (1 for the reference). */
export function vsReference(run: DuelRun, name: string, m: Method): number | undefined {
  if (name === run.names[0]) return samplesOf(run, name, m).length > 0 ? 1 : undefined;
  const ratios = perDuel(run, name, m, (x, ref) => x.reqPerSec / ref.reqPerSec);
  return ratios.length > 0 ? median(ratios) : undefined;
}

/** Method, server, req/s, `ratio` (by default × the reference), p50, p99, CPU/request and failures of each server that ran. */
export function sampleRows(
  run: DuelRun,
  extra: (name: string, m: Method) => readonly string[] = () => [],
  ratio: (name: string, m: Method) => number | undefined = (name, m) => vsReference(run, name, m),
) {
  return METHODS.flatMap((m) =>
    run.names.map((name) => {
      const list = samplesOf(run, name, m);
      const cpu = list.flatMap((x) => (x.cpuUsPerRequest === undefined ? [] : [x.cpuUsPerRequest]));
      const failed = list.reduce((n, x) => n + x.non2xx + x.errors, 0);
      return [
        m,
        name,
        fmt(median(list.map((x) => x.reqPerSec))),
        fmtRatio(ratio(name, m)),
        fmt(median(list.map((x) => x.p50Ms)), 2),
        fmt(median(list.map((x) => x.p99Ms)), 2),
        cpu.length > 0 ? fmt(median(cpu), 1) : "n/a",
        failed === 0 ? "0" : `**${fmt(failed)}**`,
        ...extra(name, m),
      ];
    }),
  );
}

/** The header of `sampleRows`, the ratio's column named `vs`. */
export const sampleColumns = (vs: string) => [
  "method",
  "server",
  "req/s",
  vs,
  "p50 ms",
  "p99 ms",
  "CPU µs/req",
  "non-2xx/errors",
];
