/**
 * How a benchmark child talks to bench/run.ts: progress lines as they happen, one `RESULT` line
 * with JSON at the end. Options arrive as JSON in argv[2].
 */
import { writeSync } from "node:fs";

export const RESULT_PREFIX = "RESULT ";

export function childOptions<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error("expected the options as JSON in argv[2] (run through bench/run.ts)");
  return JSON.parse(raw) as T;
}

export function report(value: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/**
 * A cold-start child's report at its first verdict: its own clock and its own CPU time, in ms.
 * Written straight to fd 1: the first touch of `process.stdout` builds a stream (and loads
 * node:net or node:tty for it), ~5 ms the measured process would pay for the harness, not for
 * the code under test.
 */
export function reportFirstVerdict(): void {
  const ms = performance.now();
  const cpu = process.cpuUsage();
  writeSync(1, `${RESULT_PREFIX}${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1_000 })}\n`);
}
