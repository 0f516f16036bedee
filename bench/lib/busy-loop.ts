/**
 * A yardstick for the HTTP part: bare node:http plus a fixed amount of pure CPU per request (a
 * loop of integer arithmetic: no allocation, no memory traffic beyond registers). Where such a
 * server lands against bare node:http shows how much work per request a ratio such as "0.95×
 * bare" leaves room for on this machine, before any parsing or validation is written.
 */

/** Stored so the optimizer cannot drop the loop. */
let busySink = 0;

/** `iterations` rounds of a dependent multiply-add: its cost grows linearly with `iterations`. */
export function busyLoop(iterations: number): void {
  let x = busySink;
  for (let i = 0; i < iterations; i++) x = (Math.imul(x, 31) + i) | 0;
  busySink = x;
}

/** Mean ns of one `busyLoop(iterations)` over `calls` calls, by the wall clock. */
export function timeBusyLoop(iterations: number, calls: number): number {
  const start = process.hrtime.bigint();
  for (let c = 0; c < calls; c++) busyLoop(iterations);
  return Number(process.hrtime.bigint() - start) / calls;
}

/**
 * One reading of `busyLoop(iterations)`: the fastest of 25 short batches. The servers start side
 * by side, so a batch may lose the core to another process; the wall clock then counts time the
 * loop did not run (a first version timed one long batch and, with 11 other servers starting,
 * calibrated a "1 µs" loop that ran 0.4 µs). A short batch that kept its core is the loop's own cost.
 */
export function readBusyLoop(iterations: number, time: typeof timeBusyLoop = timeBusyLoop): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let b = 0; b < 25; b++) fastest = Math.min(fastest, time(iterations, 400));
  return fastest;
}

export interface BusyCalibration {
  readonly iterations: number;
  /** What one call measured once calibrated (a warm, optimized loop). */
  readonly measuredNs: number;
}

/**
 * The iteration count whose call takes `targetNs`: scaled from readings until one lands within
 * 3% (at most 12 tries, the first ones also warming the loop up to optimized code).
 */
export function calibrateBusyLoop(
  targetNs: number,
  read: (iterations: number) => number = readBusyLoop,
): BusyCalibration {
  if (!(targetNs > 0)) throw new RangeError(`busy time must be a positive number of ns, got ${targetNs}`);
  let iterations = 16;
  let measuredNs = read(iterations);
  for (let tries = 0; tries < 12; tries++) {
    iterations = Math.max(1, Math.round((iterations * targetNs) / Math.max(measuredNs, 0.01)));
    measuredNs = read(iterations);
    if (Math.abs(measuredNs - targetNs) <= targetNs * 0.03) break;
  }
  return { iterations, measuredNs };
}
