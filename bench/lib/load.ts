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
  /**
   * Make every request a distinct notification (an inbox stores each once): `token`, wherever it
   * appears in the path and body, is replaced by `prefix` and a counter, padded to `token`'s length
   * so every request keeps its size. The prefix must differ between runs against one inbox.
   */
  readonly distinct?: { readonly token: string; readonly prefix: string };
}

export interface LoadResult {
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses with a 2xx status. */
  readonly status2xx: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** What autocannon's `setupRequest` is given and returns. */
export interface AutocannonRequest {
  readonly path: string;
  readonly body?: string | Buffer;
}

/**
 * autocannon's `setupRequest` for `spec.distinct`: the n-th request gets `prefix` + n in place of
 * the token. Throws once the counter would no longer fit the token's length (never repeats).
 */
export function distinctRequests(spec: LoadSpec): ((req: AutocannonRequest) => AutocannonRequest) | undefined {
  const d = spec.distinct;
  if (d === undefined) return undefined;
  const width = d.token.length - d.prefix.length;
  if (width < 1) throw new Error(`distinct: prefix ${d.prefix} leaves no room in ${d.token}`);
  const limit = 10 ** width;
  const url = new URL(spec.url);
  const [pathBefore, pathAfter] = split(`${url.pathname}${url.search}`, d.token);
  const [bodyBefore, bodyAfter] = split(spec.body ?? "", d.token);
  let n = 0;
  return (req) => {
    if (n >= limit) throw new Error(`distinct: more than ${limit} requests with prefix ${d.prefix}`);
    const id = `${d.prefix}${String(n++).padStart(width, "0")}`;
    return {
      ...req,
      ...(pathAfter === undefined ? {} : { path: `${pathBefore}${id}${pathAfter}` }),
      ...(bodyAfter === undefined ? {} : { body: `${bodyBefore}${id}${bodyAfter}` }),
    };
  };
}

/** `text` around the first `token`, or [text, undefined] when it has none. */
function split(text: string, token: string): [string, string | undefined] {
  const at = text.indexOf(token);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + token.length)];
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
    const setupRequest = distinctRequests(spec);
    const startedAt = performance.now();
    let lastResponseAt = startedAt;
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
        ...(setupRequest === undefined ? {} : { requests: [{ setupRequest }] }),
      },
      (error, result) => {
        clearTimeout(guard);
        if (error !== null) {
          reject(error);
          return;
        }
        resolve({
          requests: result.requests.total,
          // From the start to the last response: autocannon's own duration runs on to its next
          // 100 ms tick, which a run of `amount` requests ends anywhere before.
          reqPerSec: result.requests.total / Math.max((lastResponseAt - startedAt) / 1_000, 1e-3),
          p50Ms: quantile(latencies, 0.5),
          p99Ms: quantile(latencies, 0.99),
          status2xx: result["2xx"],
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      seen++;
      lastResponseAt = performance.now();
      if (latencies.length < MAX_LATENCIES) latencies.push(responseTime);
      else latencies[Math.floor(Math.random() * seen) % MAX_LATENCIES] = responseTime;
    });
    // autocannon stops itself after durationS; this only bounds a hung run.
    const guard = setTimeout(() => instance.stop(), (spec.durationS + 15) * 1_000);
  });
}
