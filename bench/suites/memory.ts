/**
 * Memory: RSS of a receiver held at saturation for a minute, this package's adapter side by side
 * with bare node:http, each in a fresh process. Twice: with Node's defaults, and with V8's young
 * generation started at the size saturation grows it to anyway.
 *
 * Why twice. At saturation V8 doubles its young generation (the new space where requests'
 * short-lived objects live) each time enough has survived its scavenges, until its maximum: in an
 * ad-hoc run here bare node:http went 4 → 8 → 16 → 32 MiB by about 10, 65 and 180 s, RSS
 * 55.6 → 78.8 MiB, and then stayed flat. A minute at Node's defaults catches some of those steps,
 * in bare node:http as much as in any receiver, so it cannot tell a leak from V8 sizing its heap.
 * With the young generation fixed at that maximum (16 MiB per semi-space, on Node 20 here) the
 * steps are gone, and what RSS still does is the receiver's: that run is the leak check. Both are
 * reported, with the young generation's size and the heap retained after a forced GC.
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

/**
 * The young generation's two semi-spaces fixed at 16 MiB: the size the ad-hoc run above reached
 * and kept, and the most Node 20 gave it here (a loop keeping many objects alive through
 * scavenges took it to 32 MiB of new space within 0.1 s and no further in 40 s).
 */
const FULL_YOUNG_GENERATION = ["--min-semi-space-size=16", "--max-semi-space-size=16"] as const;

export type Heap = "defaults" | "full";
const HEAP_LABEL: Record<Heap, string> = {
  defaults: "Node's defaults",
  full: "young generation at its full size",
};

export interface MemorySample {
  /** Seconds since the sampled run started. */
  readonly t: number;
  readonly rss: number;
  /** V8's new space (both semi-spaces), bytes. */
  readonly youngGeneration: number | undefined;
}

export interface MemoryRun {
  readonly server: string;
  readonly heap: Heap;
  readonly result: LoadResult;
  readonly samples: readonly MemorySample[];
  /** Heap in use after a forced GC, at the first sample and after the run. */
  readonly heapFirst: number | undefined;
  readonly heapLast: number | undefined;
}

/** RSS growth from the first sample to the last, in percent. */
export function growth(run: Pick<MemoryRun, "samples">): number | undefined {
  const first = run.samples[0]?.rss;
  const last = run.samples.at(-1)?.rss;
  return first === undefined || last === undefined ? undefined : ((last - first) / first) * 100;
}

const mib = (bytes: number | undefined) => (bytes === undefined ? "n/a" : fmt(bytes / 2 ** 20, 1));

function saturate(ctx: SuiteContext, server: RunningServer, durationS: number): Promise<LoadResult> {
  return load(ctx.entries, ctx.root, {
    ...validRequest(server.origin, "POST"),
    connections: ctx.mode.http.connections,
    durationS,
  });
}

/** `durationS` at saturation, stats every `sampleEveryS`; the first sample also forces a GC (before its RSS is read). */
async function sampled(ctx: SuiteContext, server: RunningServer): Promise<Omit<MemoryRun, "server" | "heap">> {
  const { durationS, sampleEveryS } = ctx.mode.memory;
  const samples: MemorySample[] = [];
  const started = performance.now();
  const run = saturate(ctx, server, durationS);
  let done = false;
  const finish = () => {
    done = true;
  };
  run.then(finish, finish); // a failed run still rejects below, at `await run`
  let heapFirst: number | undefined;
  while (!done) {
    await Promise.race([run, new Promise((r) => setTimeout(r, sampleEveryS * 1_000))]);
    const s = await server.stats({ gc: samples.length === 0 });
    if (s === undefined) continue;
    if (samples.length === 0) heapFirst = s.heapUsed;
    samples.push({ t: (performance.now() - started) / 1_000, rss: s.rss, youngGeneration: s.youngGeneration });
  }
  const result = await run;
  const heapLast = (await server.stats({ gc: true }))?.heapUsed;
  return { result, samples, heapFirst, heapLast };
}

async function measureOne(ctx: SuiteContext, [name, entry]: readonly [string, string], heap: Heap): Promise<MemoryRun> {
  const file = ctx.entries.files.get(entry);
  if (file === undefined) throw new Error(`${entry} was not built`);
  const server = await startEntryServer(
    name,
    file,
    ctx.root,
    heap === "full" ? { nodeArgs: FULL_YOUNG_GENERATION } : {},
  );
  try {
    const { warmupS } = ctx.mode.memory;
    if (warmupS > 0) await saturate(ctx, server, warmupS);
    const t = performance.now();
    const run = { server: name, heap, ...(await sampled(ctx, server)) };
    const first = run.samples[0]?.rss;
    const last = run.samples.at(-1)?.rss;
    progress(
      `✔ memory, ${name.replaceAll("*", "")}, ${HEAP_LABEL[heap]}: RSS ${mib(first)} → ${mib(last)} MiB (${elapsed(t)})`,
    );
    return run;
  } finally {
    await server.stop();
  }
}

/** The verdict: the run with the young generation at its full size; the defaults' runs go in its note. */
export function memoryTarget(runs: readonly MemoryRun[], durationS: number): TargetCheck {
  const find = (server: string, heap: Heap) => runs.find((r) => r.server === server && r.heap === heap);
  const pct = (run: MemoryRun | undefined) => {
    const g = run === undefined ? undefined : growth(run);
    return g === undefined ? "n/a" : `${fmtSigned(g, 1)}%`;
  };
  const full = find(PROJECT, "full");
  const value = full === undefined ? undefined : growth(full);
  const target = `RSS flat (≤ 10% growth) over a ${durationS} s run at saturation`;
  if (full === undefined || value === undefined) {
    return { target, measured: "not measured", met: undefined };
  }
  const failed = full.result.non2xx + full.result.errors;
  if (failed > 0) {
    // A server that refuses or drops requests is not holding them: its RSS says nothing.
    return { target, measured: "not measured", met: undefined, note: `${fmt(failed)} requests failed in the run` };
  }
  const defaults = find(PROJECT, "defaults");
  const young = (run: MemoryRun | undefined) =>
    run === undefined
      ? "n/a"
      : `${mib(run.samples[0]?.youngGeneration)} → ${mib(run.samples.at(-1)?.youngGeneration)} MiB`;
  return {
    target,
    measured: `${pct(full)} with the young generation at its full size (bare node:http ${pct(find(BARE, "full"))})`,
    met: value <= 10,
    note: [
      ...(value > 10 ? [`missed by ${fmt(value - 10, 1)} points`] : []),
      `with Node's defaults ${pct(defaults)}, bare node:http ${pct(find(BARE, "defaults"))}:` +
        ` the young generation went ${young(defaults)}, the heap retained after a GC ${mib(defaults?.heapFirst)} → ${mib(defaults?.heapLast)} MiB`,
    ].join("; "),
  };
}

export function memoryMarkdown(runs: readonly MemoryRun[], ctx: Pick<SuiteContext, "mode">): string {
  const { durationS, sampleEveryS, warmupS } = ctx.mode.memory;
  const summary = runs.map((r) => {
    const g = growth(r);
    return [
      r.server,
      HEAP_LABEL[r.heap],
      fmt(r.result.reqPerSec),
      fmt(r.result.non2xx + r.result.errors),
      `${mib(r.samples[0]?.rss)} → ${mib(r.samples.at(-1)?.rss)}`,
      g === undefined ? "n/a" : `${fmtSigned(g, 1)}%`,
      `${mib(r.samples[0]?.youngGeneration)} → ${mib(r.samples.at(-1)?.youngGeneration)}`,
      `${mib(r.heapFirst)} → ${mib(r.heapLast)}`,
    ];
  });
  const longest = Math.max(0, ...runs.map((r) => r.samples.length));
  const perSample = Array.from({ length: longest }, (_, i) => [
    fmt(runs[0]?.samples[i]?.t, 1),
    ...runs.map((r) => {
      const s = r.samples[i];
      return s === undefined ? "" : `${mib(s.rss)} (${mib(s.youngGeneration)})`;
    }),
  ]);
  return [
    `POST small body, ${ctx.mode.http.connections} connections for ${durationS} s, each server in a fresh process`,
    `after ${warmupS} s at saturation; RSS sampled every ${sampleEveryS} s, growth from the first sample to the last.`,
    "With Node's defaults V8 doubles its young generation (the new space, where requests' short-lived objects",
    "live) each time enough has survived its scavenges, up to a maximum, so a minute at saturation may catch",
    'a step, in bare node:http as much as in any receiver. "Young generation at its full size" starts Node with',
    `\`${FULL_YOUNG_GENERATION.join(" ")}\`, the maximum it grows to on Node 20; what RSS still does then is the`,
    "receiver's own, so that run decides the target. Heap after GC: in use after a forced GC (what is",
    "retained), at the first sample and after the run.",
    "",
    table(
      [
        "server",
        "V8 heap",
        "req/s",
        "non-2xx/errors",
        "RSS first → last (MiB)",
        "growth",
        "young generation (MiB)",
        "heap after GC (MiB)",
      ],
      summary,
    ),
    "",
    "RSS in MiB at each sample, the young generation's size in parentheses:",
    "",
    table(["t (s)", ...runs.map((r) => `${r.server}, ${HEAP_LABEL[r.heap]}`)], perSample),
    "",
  ].join("\n");
}

export async function memorySection(ctx: SuiteContext): Promise<Section> {
  const runs: MemoryRun[] = [];
  const missing: string[] = [];
  for (const heap of ["defaults", "full"] as const) {
    for (const server of SERVERS) {
      try {
        runs.push(await measureOne(ctx, server, heap));
      } catch (error) {
        missing.push(
          `${server[0]}, ${HEAP_LABEL[heap]}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        );
      }
    }
  }
  const target = memoryTarget(runs, ctx.mode.memory.durationS);
  return {
    title: "Memory",
    markdown: [
      memoryMarkdown(runs, ctx),
      ...(missing.length > 0 ? [`Not measured: ${missing.join("; ")}`, ""] : []),
    ].join("\n"),
    targets: [target],
  };
}
