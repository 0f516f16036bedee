/** Number formatting and Markdown tables for BENCHMARKS.md and the progress lines. */
export function fmt(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A difference with its sign: +1.2, -0.4. */
export const fmtSigned = (value: number, digits = 0): string => `${value >= 0 ? "+" : ""}${fmt(value, digits)}`;

/** ns with a sensible unit: 95 ns, 2.4 µs, 31 µs, 1.2 ms. */
export function fmtNs(ns: number | undefined): string {
  if (ns === undefined || !Number.isFinite(ns)) return "n/a";
  if (ns < 1_000) return `${fmt(ns)} ns`;
  if (ns < 10_000) return `${fmt(ns / 1_000, 2)} µs`;
  if (ns < 1_000_000) return `${fmt(ns / 1_000, 1)} µs`;
  return `${fmt(ns / 1_000_000, 2)} ms`;
}

export const fmtRatio = (r: number | undefined): string =>
  r === undefined || !Number.isFinite(r) ? "n/a" : `${fmt(r, r < 10 ? 2 : 1)}×`;

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [header, align, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}
