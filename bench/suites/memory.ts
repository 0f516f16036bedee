/**
 * Memory: RSS of a receiver held at saturation, this package's adapter beside bare node:http,
 * each in a fresh process. Node starts with V8's young generation at its full size
 * (`FULL_YOUNG_GENERATION`): with Node's defaults V8 doubles it in steps under load (4 → 32 MiB
 * over minutes, bare node:http alike), which a minute's run catches some of and which no receiver
 * causes. With it fixed, what RSS still does is the receiver's own.
 */
import { fmt, fmtSigned, table } from "../lib/format.js";
import { validRequest } from "../lib/inputs.js";
import { type LoadResult, load } from "../lib/load.js";
import { elapsed, progress } from "../lib/progress.js";
import type { Section, SuiteContext, TargetCheck } from "../lib/section.js";
import { type RunningServer, startEntryServer } from "../lib/servers.js";
import { PROJECT } from "./http.js";

const BARE = "bare node:http";
const SERVERS: readonly (readonly [name: string, entry: string])[] = [
  [BARE, "server-bare"],
  [PROJECT, "server-project"],
];

/** The young generation's two semi-spaces at 16 MiB: the most Node 20 grows them to here. */
const FULL_YOUNG_GENERATION = ["--min-semi-space-size=16", "--max-semi-space-size=16"] as const;

export interface MemoryRun {
  readonly server: string;
  readonly result: LoadResult;
  /** RSS at each sample, bytes. */
  readonly rss: readonly number[];
  /** Heap in use after a forced GC, at the first sample and after the run. */
  readonly heapFirst: number | undefined;
  readonly heapLast: number | undefined;
}

/** RSS growth from the first sample to the last (not to the peak), in percent. */
export function growth(run: Pick<MemoryRun, "rss">): number | undefined {
  const first = run.rss[0];
  const last = run.rss.at(-1);
  return first === undefined || last === undefined ? undefined : ((last - first) / first) * 100;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? "n/a" : fmt(bytes / 2 ** 20, 1));
const pct = (run: MemoryRun | undefined) => {
  const g = run === undefined ? undefined : growth(run);
  return g === undefined ? "n/a" : `${fmtSigned(g, 1)}%`;
};

function saturate(ctx: SuiteContext, server: RunningServer, durationS: number): Promise<LoadResult> {
  const spec = { ...validRequest(server.origin, "POST"), connections: ctx.mode.http.connections, durationS };
  return load(ctx.entries, ctx.root, spec);
}

async function measureOne(ctx: SuiteContext, [name, entry]: readonly [string, string]): Promise<MemoryRun> {
  const file = ctx.entries.files.get(entry);
  if (file === undefined) throw new Error(`${entry} was not built`);
  // --expose-gc lets this part read the heap retained after a forced GC.
  const server = await startEntryServer(name, file, ctx.root, { nodeArgs: [...FULL_YOUNG_GENERATION, "--expose-gc"] });
  try {
    const { durationS, sampleEveryS, warmupS } = ctx.mode.memory;
    if (warmupS > 0) await saturate(ctx, server, warmupS);
    const t = performance.now();
    const rss: number[] = [];
    let heapFirst: number | undefined;
    let done = false;
    const run = saturate(ctx, server, durationS);
    run.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      await Promise.race([run, new Promise((r) => setTimeout(r, sampleEveryS * 1_000))]);
      // The first sample forces a GC before its RSS is read, for the heap retained.
      const s = await server.stats({ gc: rss.length === 0 });
      if (s === undefined) continue;
      if (rss.length === 0) heapFirst = s.heapUsed;
      rss.push(s.rss);
    }
    const result = await run;
    const heapLast = (await server.stats({ gc: true }))?.heapUsed;
    progress(`✔ memory, ${name.replaceAll("*", "")}: RSS ${mib(rss[0])} → ${mib(rss.at(-1))} MiB (${elapsed(t)})`);
    return { server: name, result, rss, heapFirst, heapLast };
  } finally {
    await server.stop();
  }
}

export function memoryTarget(runs: readonly MemoryRun[], durationS: number): TargetCheck {
  const target = `RSS flat (≤ 10% growth) over a ${durationS} s run at saturation`;
  const project = runs.find((r) => r.server === PROJECT);
  const value = project === undefined ? undefined : growth(project);
  if (project === undefined || value === undefined) return { target, measured: "not measured", met: undefined };
  const failed = project.result.non2xx + project.result.errors;
  // A server that refuses or drops requests is not holding them: its RSS says nothing.
  if (failed > 0) return { target, measured: "not measured", met: undefined, note: `${fmt(failed)} requests failed` };
  return {
    target,
    measured: `${pct(project)} (bare node:http ${pct(runs.find((r) => r.server === BARE))})`,
    met: value <= 10,
    ...(value > 10 ? { note: `missed by ${fmt(value - 10, 1)} points` } : {}),
  };
}

export async function memorySection(ctx: SuiteContext): Promise<Section> {
  const runs: MemoryRun[] = [];
  const missing: string[] = [];
  for (const server of SERVERS) {
    try {
      runs.push(await measureOne(ctx, server));
    } catch (error) {
      missing.push(`${server[0]}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
  }
  const { durationS, sampleEveryS, warmupS } = ctx.mode.memory;
  const rows = runs.map((r) => [
    r.server,
    fmt(r.result.reqPerSec),
    fmt(r.result.non2xx + r.result.errors),
    `${mib(r.rss[0])} → ${mib(r.rss.at(-1))}`,
    pct(r),
    `${mib(r.heapFirst)} → ${mib(r.heapLast)}`,
  ]);
  const markdown = [
    `POST small body, ${ctx.mode.http.connections} connections for ${durationS} s after ${warmupS} s at saturation, each server in a`,
    `fresh process started with \`${FULL_YOUNG_GENERATION.join(" ")}\` (bench/suites/memory.ts says why); RSS sampled`,
    `every ${sampleEveryS} s, growth from the first sample to the last. Heap after GC: in use after a forced GC (what`,
    "is retained), at the first sample and after the run.",
    "",
    table(["server", "req/s", "non-2xx/errors", "RSS first → last (MiB)", "growth", "heap after GC (MiB)"], rows),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    "",
  ].join("\n");
  return { title: "Memory", markdown, targets: [memoryTarget(runs, durationS)] };
}
