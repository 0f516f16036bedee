/**
 * How long each part runs. Full: the numbers for BENCHMARKS.md (bench/run.ts prints its duration).
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
     * Duels per method of this package's adapter with fastify, and with a second process of itself
     * (the control): "ahead of fastify" is a ratio near 1, which two ratios to bare cannot settle.
     */
    readonly headToHead: number;
    /** Fresh sets of processes the head-to-head duels are spread over; at most `headToHead`. */
    readonly headToHeadBlocks: number;
    /**
     * The durable inbox's duels (bench/suites/http-inbox.ts): `rounds` of one duel per server and
     * method, each sample `requests` distinct notifications, after `warmupRequests` per method.
     */
    readonly inbox: {
      readonly connections: number;
      readonly rounds: number;
      readonly requests: number;
      readonly warmupRequests: number;
    };
  };
  /** Per server (bench/suites/memory.ts): `warmupS` at saturation, then `durationS` sampled. */
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
      headToHead: 15,
      headToHeadBlocks: 5,
      inbox: { connections: 50, rounds: 5, requests: 20_000, warmupRequests: 4_000 },
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
      inbox: { connections: 4, rounds: 1, requests: 200, warmupRequests: 0 },
    },
    memory: { durationS: 1, sampleEveryS: 0.5, warmupS: 0 },
    templates: { fields: [10], templates: [1, 2], measure: { samples: 2, sampleMs: 2, warmupMs: 0 } },
  },
};
