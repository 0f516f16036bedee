/**
 * How a benchmark child talks to bench/run.ts: progress lines as they happen, one `RESULT` line
 * with JSON at the end. Options arrive as JSON in argv[2].
 */
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
 * A cold-start child's report at its first verdict: its own clock (process.uptime(), from process
 * start) and its own CPU time, in ms, written straight to fd 1. It loads nothing the measured
 * code would not: the first touch of `process.stdout` builds a stream (and loads node:net or
 * node:tty for it), ~5 ms; an ESM `import … from "node:fs"` builds the builtin's module wrapper
 * and loads Node's streams, ~2 ms, and the `performance` global loads perf_hooks, ~0.7 ms. Those would be the harness's
 * cost, not the code under test's, and they once stood in every ESM row here (the empty entry
 * read +8.7 ms over `node -e 0`; an empty .mjs file costs +5–6 ms).
 */
export function reportFirstVerdict(): void {
  const ms = process.uptime() * 1_000;
  const cpu = process.cpuUsage();
  // getBuiltinModule hands back the fs Node has already loaded for itself (Node ≥ 20.16).
  process
    .getBuiltinModule("node:fs")
    .writeSync(1, `${RESULT_PREFIX}${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1_000 })}\n`);
}
