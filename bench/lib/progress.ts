/** One terse line per step, like the generator's: `✔ in-process POST small valid (1.2 s)`. */
export function progress(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function elapsed(startedMs: number): string {
  const ms = performance.now() - startedMs;
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
