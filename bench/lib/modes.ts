/**
 * How long each part runs. Full: the numbers for BENCHMARKS.md, ~24 minutes on 2 cores.
 * Smoke: every part once, for seconds, so the benchmark cannot rot (test/bench runs it).
 */
import type { MeasureOptions } from "./measure.js";

export interface Mode {
  readonly name: "full" | "smoke";
  readonly inProcess: MeasureOptions;
  /** Fresh processes per candidate (interleaved). */
  readonly coldRuns: number;
  readonly http: {
    readonly rounds: number;
    readonly durationS: number;
    readonly warmupS: number;
    readonly connections: number;
    /** Smoke: a fixed number of requests per run instead of `durationS`. */
    readonly requests?: number;
    /**
     * Duels per method between this package's adapter and fastify, back to back, after the rounds:
     * "ahead of fastify" is a ratio near 1, which two ratios to bare cannot settle.
     */
    readonly headToHead: number;
    /**
     * Fresh sets of processes the head-to-head duels are spread over (each with one control duel
     * per method between two processes of this package); at most `headToHead`.
     */
    readonly headToHeadBlocks: number;
    /**
     * The durable inbox's comparison (bench/suites/http-inbox.ts): fresh processes of this
     * package's adapter with and without a SQLite inbox, every request a distinct notification,
     * `rounds` of one sample per server and method of about `durationS` (a fixed number of requests
     * each, from the rate of a warm-up of `warmupRequests`; `requests` in smoke mode).
     */
    readonly inbox: {
      readonly connections: number;
      readonly rounds: number;
      readonly durationS: number;
      readonly warmupRequests: number;
      readonly requests?: number;
    };
  };
  /** Per server and heap setting (bench/suites/memory.ts): `warmupS` at saturation, then `durationS` sampled. */
  readonly memory: { readonly durationS: number; readonly sampleEveryS: number; readonly warmupS: number };
  readonly templates: {
    readonly fields: readonly number[];
    readonly templates: readonly number[];
    readonly measure: MeasureOptions;
  };
}

export const modes: Record<Mode["name"], Mode> = {
  full: {
    name: "full",
    inProcess: { samples: 7, sampleMs: 60, warmupMs: 150 },
    coldRuns: 41,
    http: {
      rounds: 7,
      durationS: 1.5,
      warmupS: 1,
      connections: 10,
      headToHead: 21,
      headToHeadBlocks: 7,
      inbox: { connections: 50, rounds: 5, durationS: 2, warmupRequests: 4_000 },
    },
    memory: { durationS: 60, sampleEveryS: 5, warmupS: 5 },
    templates: {
      fields: [10, 50, 200],
      templates: [1, 10, 50],
      // Until 3 s pass with no case getting faster (at most 15 s): here the 200-field validator
      // took 59 µs a call at first, 27 µs from 0.5 s, and reached its steady 14 µs only after ~3 s.
      measure: { samples: 5, sampleMs: 40, warmupMs: 3_000, maxWarmupMs: 15_000 },
    },
  },
  smoke: {
    name: "smoke",
    inProcess: { samples: 2, sampleMs: 2, warmupMs: 0 },
    coldRuns: 1,
    http: {
      rounds: 1,
      durationS: 1,
      warmupS: 0,
      connections: 4,
      requests: 200,
      headToHead: 1,
      headToHeadBlocks: 1,
      inbox: { connections: 4, rounds: 1, durationS: 1, warmupRequests: 0, requests: 200 },
    },
    memory: { durationS: 1, sampleEveryS: 0.5, warmupS: 0 },
    templates: { fields: [10], templates: [1, 2], measure: { samples: 2, sampleMs: 2, warmupMs: 0 } },
  },
};
