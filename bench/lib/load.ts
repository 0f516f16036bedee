/**
 * One bounded autocannon run, each in a fresh child process (bench/entries/load.ts). In the
 * parent, the load generator ran in a process that had run every earlier sample (317 MB resident
 * during the head-to-head of an `--only http` run), so servers met it in a different state from
 * one sample, and one run, to the next. A fresh process meets every server alike. Latency percentiles
 * come from every response's own time (float ms), not autocannon's integer-millisecond
 * histogram, so sub-millisecond differences between servers stay visible.
 */
import autocannon from "autocannon";
import type { BuiltEntries } from "./build-entries.js";
import { runEntry } from "./children.js";
import { quantile } from "./stats.js";

export interface LoadSpec {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly body?: string;
  readonly connections: number;
  readonly durationS: number;
  /** Send exactly this many requests instead (smoke mode); still bounded by durationS + 15 s. */
  readonly amount?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Enough for ~10 minutes at 5 000 req/s; beyond it latencies are sampled, never unbounded. */
const MAX_LATENCIES = 3_000_000;

/**
 * `spec` run by the bundled load entry in a fresh child process. Its start-up (loading
 * autocannon) comes before it connects, while the server sits idle, so a server's CPU over the
 * sample is still the run's.
 */
export function load(entries: BuiltEntries, root: string, spec: LoadSpec): Promise<LoadResult> {
  const file = entries.files.get("load");
  if (file === undefined)
    throw new Error(`the load generator did not build: ${entries.failed.get("load") ?? "not built"}`);
  return runEntry<LoadResult>(file, spec, root, (spec.durationS + 30) * 1_000);
}

/** The run itself, in this process: what bench/entries/load.ts does. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let seen = 0;
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method,
        connections: spec.connections,
        duration: spec.durationS,
        ...(spec.amount === undefined ? {} : { amount: spec.amount }),
        timeout: 10,
        // Checks for the end every 100 ms instead of every second (autocannon's default), so a run
        // of `amount` requests ends when they are done; our numbers do not use its per-tick histogram.
        sampleInt: 100,
        ...(spec.body === undefined ? {} : { body: spec.body, headers: { "content-type": "application/json" } }),
      },
      (error, result) => {
        clearTimeout(guard);
        if (error !== null) {
          reject(error);
          return;
        }
        resolve({
          requests: result.requests.total,
          reqPerSec: result.requests.total / Math.max(result.duration, 1e-3),
          p50Ms: quantile(latencies, 0.5),
          p99Ms: quantile(latencies, 0.99),
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      seen++;
      if (latencies.length < MAX_LATENCIES) latencies.push(responseTime);
      else latencies[Math.floor(Math.random() * seen) % MAX_LATENCIES] = responseTime;
    });
    // autocannon stops itself after durationS; this only bounds a hung run.
    const guard = setTimeout(() => instance.stop(), (spec.durationS + 15) * 1_000);
  });
}
