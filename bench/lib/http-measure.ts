/**
 * What every HTTP sample is made of: one bounded load (bench/lib/load.ts) against a server in its
 * own process, with the server's CPU over it and, for an inbox server, its counters over it; and
 * the verdicts each server gives a valid and several invalid notifications.
 */
import { fmt, fmtRatio } from "./format.js";
import { bodies, PATH, query, validRequest } from "./inputs.js";
import { type LoadResult, type LoadSpec, load } from "./load.js";
import type { SuiteContext, TargetCheck } from "./section.js";
import type { InboxServerCounters } from "./serve.js";
import type { RunningServer } from "./servers.js";

export type Method = "GET" | "POST";
export const METHODS: readonly Method[] = ["POST", "GET"];

export interface Sample extends LoadResult {
  readonly cpuUsPerRequest: number | undefined;
  /** The bare node:http sample taken just before or after this one. */
  readonly bare?: Sample;
  /** The sample of the server this one is compared with (the adapter without an inbox), just before or after it. */
  readonly reference?: Sample;
  /** An inbox server's counters over the sample (rows recorded, transactions committed…). */
  readonly inbox?: InboxServerCounters;
}

/** How a sample loads its server: `durationS` (the bound, with `amount`), connections, and so on. */
export type LoadOptions = Omit<LoadSpec, "url" | "method" | "body">;

const delta = (a: InboxServerCounters, b: InboxServerCounters): InboxServerCounters => ({
  recorded: b.recorded - a.recorded,
  duplicates: b.duplicates - a.duplicates,
  failedWrites: b.failedWrites - a.failedWrites,
  commits: b.commits - a.commits,
});

/** One load of `server` with the valid notification of `method`, with the server's CPU per request over it. */
export async function measureLoad(
  ctx: SuiteContext,
  server: RunningServer,
  method: Method,
  options: LoadOptions,
): Promise<Sample> {
  const before = await server.stats();
  const result = await load(ctx.entries, ctx.root, { ...validRequest(server.origin, method), ...options });
  const after = await server.stats();
  const cpuUsPerRequest =
    before === undefined || after === undefined || result.requests === 0
      ? undefined
      : (after.cpuUs - before.cpuUs) / result.requests;
  const inbox =
    before?.inbox === undefined || after?.inbox === undefined ? {} : { inbox: delta(before.inbox, after.inbox) };
  return { ...result, cpuUsPerRequest, ...inbox };
}

export interface Verdicts {
  /** "all right", or what the server got wrong. */
  readonly text: string;
  /** How many of the checks it answered 2xx. */
  readonly accepted: number;
}

/**
 * What a server answers to a valid and to invalid notifications: a fast server that accepts
 * everything is no peer. `validatesNothing` is said instead for a server that is not meant to
 * validate (bare node:http).
 */
export async function verdicts(server: RunningServer, validatesNothing?: string): Promise<Verdicts> {
  const post = async (body: string) =>
    (
      await fetch(`${server.origin}${PATH}`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        signal: AbortSignal.timeout(10_000),
      })
    ).status;
  const get = async (q: string) =>
    (await fetch(`${server.origin}${PATH}?${q}`, { signal: AbortSignal.timeout(10_000) })).status;
  const checks: [string, number, boolean][] = [
    ["valid POST", await post(bodies.small), true],
    ["valid GET", await get(query), true],
    ['"payout":"5,00"', await post(bodies.smallInvalid), false],
    ['"payout":true', await post(bodies.coercible), false],
    ['"campaign_id":10306 (a number)', await post(bodies.numericId), false],
    ["item qty 1e3", await post(bodies.largeInvalid), false],
    ["GET payout=5,00", await get("payout=5%2C00"), false],
  ];
  const ok = (status: number) => status >= 200 && status < 300;
  const accepted = checks.filter(([, status]) => ok(status)).length;
  if (validatesNothing !== undefined) return { text: validatesNothing, accepted };
  const wrong = checks.filter(([, status, valid]) => ok(status) !== valid);
  return {
    text:
      wrong.length === 0
        ? "all right"
        : wrong.map(([what, status, valid]) => `${valid ? "refused" : "accepted"} ${what} (${status})`).join("; "),
    accepted,
  };
}

/** A target met at `goal` or beyond it, or, with "above", only beyond it (a value at the goal is level, not met). */
export function check(
  target: string,
  value: number | undefined,
  goal: number,
  render: (v: number) => string = fmtRatio,
  reach: "at least" | "above" = "at least",
): TargetCheck {
  const note =
    value === undefined || value > goal
      ? undefined
      : value < goal
        ? `missed by ${(((goal - value) / goal) * 100).toFixed(0)}%`
        : reach === "above"
          ? `level at ${render(goal)}, not above it`
          : undefined;
  return {
    target,
    measured: value === undefined ? "not measured" : render(value),
    met: value === undefined ? undefined : reach === "above" ? value > goal : value >= goal,
    ...(note === undefined ? {} : { note }),
  };
}

/** "1,234" or, when some failed, "**1,234**". */
export const failures = (list: readonly Sample[]): string => {
  const n = list.reduce((sum, x) => sum + x.non2xx + x.errors, 0);
  return n === 0 ? "0" : `**${fmt(n)}**`;
};
