import type { SendResult } from "../testing/index.js";

const ms = (n: number) => (n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export interface Summary {
  readonly sent: number;
  readonly elapsedMs: number;
  /** Count per HTTP status; "failed" for no response. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly accepted: number;
  readonly latencyMs: {
    readonly min: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
}

export function summarize(results: readonly SendResult[], elapsedMs: number): Summary {
  const statuses: Record<string, number> = {};
  for (const r of results) {
    const key = r.delivered ? String(r.status) : (r.error?.code ?? "failed");
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const sorted = results
    .filter((r) => r.delivered)
    .map((r) => r.durationMs)
    .sort((a, b) => a - b);
  return {
    sent: results.length,
    elapsedMs,
    statuses,
    accepted: results.filter((r) => r.ok).length,
    latencyMs: {
      min: sorted[0] ?? 0,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    },
  };
}

/** `Sent 100 in 5.0 s (20.0/s): 200 ×97, 422 ×3 · latency min 1.0 ms, p50 2.0 ms, p95 4.1 ms, max 9.0 ms` */
export function formatSummary(summary: Summary): string {
  const seconds = summary.elapsedMs / 1000;
  const rate = seconds > 0 ? summary.sent / seconds : 0;
  const statuses = Object.entries(summary.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status} ×${count}`)
    .join(", ");
  const l = summary.latencyMs;
  return `Sent ${summary.sent} in ${seconds.toFixed(1)} s (${rate.toFixed(1)}/s): ${statuses} · latency min ${ms(l.min)}, p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`;
}
