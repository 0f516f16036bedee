/**
 * ns/op sampling for in-process cases. The cases of a group are measured round-robin, sample by
 * sample, so a noisy neighbour hits every case of a pair alike and the ratio of paired samples
 * stays meaningful on a shared 2-core machine.
 */
import { median } from "./stats.js";

/** Runs the operation `n` times and returns the elapsed nanoseconds (setup excluded). */
export type Batch = (n: number) => number | Promise<number>;

export interface BenchCase {
  readonly name: string;
  /** "floor" is the reference the other cases of the group are divided by. */
  readonly role: "floor" | "project" | "peer";
  readonly batch: Batch;
  /** Upper bound on `n`, for cases that pre-build one input per operation. */
  readonly maxBatch?: number;
}

export interface MeasureOptions {
  readonly samples: number;
  readonly sampleMs: number;
  /** Warm-up, at least this long. */
  readonly warmupMs: number;
  /**
   * Keep warming up past `warmupMs`, up to this long, until a whole `warmupMs` has passed in which
   * no case got 3% faster than its best so far. V8 brings a large function up to speed late (a
   * 200-field validator took ~3 s of calls here to reach its steady time, half of what it took at
   * 0.5 s), so a fixed warm-up can end before the code runs as a running service's does.
   * Default: `warmupMs`.
   */
  readonly maxWarmupMs?: number;
}

export interface CaseResult {
  readonly name: string;
  readonly role: BenchCase["role"];
  /** ns/op, one per sample. */
  readonly samples: readonly number[];
  /** Median over samples of (this sample / the floor's sample of the same round). */
  readonly ratioToFloor: number | undefined;
}

let sink = 0;
/** Keeps results observable so the optimizer cannot drop the measured call. */
export function consume(value: unknown): void {
  if (value === true || (typeof value === "object" && value !== null)) sink++;
}
export const sinkValue = (): number => sink;

export function syncBatch(op: () => unknown): Batch {
  return (n) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) consume(op());
    return Number(process.hrtime.bigint() - start);
  };
}

/** For operations that consume their input (a Request body): inputs are built before the clock starts. */
export function preparedBatch<T>(prepare: () => T, op: (input: T) => unknown): Batch {
  return async (n) => {
    const inputs: T[] = new Array(n);
    for (let i = 0; i < n; i++) inputs[i] = prepare();
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) consume(await op(inputs[i] as T));
    return Number(process.hrtime.bigint() - start);
  };
}

async function calibrate(c: BenchCase, targetMs: number): Promise<number> {
  const cap = c.maxBatch ?? 10_000_000;
  let n = 1;
  for (;;) {
    const ns = await c.batch(n);
    if (ns >= targetMs * 1e5 || n >= cap) {
      // ns covers targetMs/10 or more: scale to the full sample length.
      return Math.max(1, Math.min(cap, Math.ceil((n * targetMs * 1e6) / Math.max(ns, 1))));
    }
    n = Math.min(cap, n * 4);
  }
}

export async function measureGroup(cases: readonly BenchCase[], options: MeasureOptions): Promise<CaseResult[]> {
  const sizes: number[] = [];
  for (const c of cases) sizes.push(await calibrate(c, options.sampleMs));
  const warmupStart = performance.now();
  const maxEnd = warmupStart + Math.max(options.warmupMs, options.maxWarmupMs ?? 0);
  const best = cases.map(() => Number.POSITIVE_INFINITY);
  let lastGain = warmupStart;
  let now = warmupStart;
  do {
    for (const [i, c] of cases.entries()) {
      const n = Math.max(1, Math.ceil((sizes[i] as number) / 4));
      const perOp = (await c.batch(n)) / n;
      if (perOp < (best[i] as number) * 0.97) {
        best[i] = perOp;
        lastGain = performance.now();
      }
    }
    now = performance.now();
  } while (now - warmupStart < options.warmupMs || (now < maxEnd && now - lastGain < options.warmupMs));
  const samples: number[][] = cases.map(() => []);
  for (let s = 0; s < options.samples; s++) {
    // Rotate the starting case so no case always runs right after a GC-heavy neighbour.
    for (let k = 0; k < cases.length; k++) {
      const i = (s + k) % cases.length;
      const n = sizes[i] as number;
      const ns = await (cases[i] as BenchCase).batch(n);
      (samples[i] as number[]).push(ns / n);
    }
  }
  const floor = cases.findIndex((c) => c.role === "floor");
  const floorSamples = floor === -1 ? undefined : (samples[floor] as number[]);
  return cases.map((c, i) => {
    const own = samples[i] as number[];
    return {
      name: c.name,
      role: c.role,
      samples: own,
      ratioToFloor: floorSamples === undefined ? undefined : median(own.map((v, j) => v / (floorSamples[j] as number))),
    };
  });
}
