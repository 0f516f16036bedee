/**
 * How long each part runs. Full: the numbers for BENCHMARKS.md, planned to take at most
 * FULL_RUN_LIMIT_S in all (`plannedSeconds`; bench/run.ts prints the plan and the duration).
 * Smoke: every part once, for seconds, so the benchmark cannot rot (test/bench runs it).
 */
import type { MeasureOptions } from "./measure.js";

export interface Mode {
  readonly name: "full" | "smoke";
  readonly inProcess: MeasureOptions;
  /** Fresh processes per candidate (interleaved). */
  readonly coldRuns: number;
  readonly http: {
    /** Fresh sets of processes, one after the other. */
    readonly blocks: number;
    /** Rounds of duels per set (bench/suites/http.ts). */
    readonly rounds: number;
    readonly durationS: number;
    readonly warmupS: number;
    readonly connections: number;
    /** Smoke: a fixed number of requests per run instead of `durationS`. */
    readonly requests?: number;
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
    coldRuns: 31,
    http: {
      blocks: 3,
      rounds: 6,
      durationS: 1,
      warmupS: 0.5,
      connections: 10,
      inbox: { connections: 50, rounds: 5, requests: 20_000, warmupRequests: 4_000 },
    },
    memory: { durationS: 25, sampleEveryS: 2.5, warmupS: 5 },
    templates: {
      fields: [10, 50, 200],
      templates: [1, 10, 50],
      // Until 2 s pass with no case getting 3% faster (at most 8 s): here the 200-field validator
      // took 59 µs a call at first, 27 µs from 0.5 s, and reached its steady 14 µs only after ~3 s.
      measure: { samples: 5, sampleMs: 40, warmupMs: 2_000, maxWarmupMs: 8_000 },
    },
  },
  smoke: {
    name: "smoke",
    inProcess: { samples: 2, sampleMs: 2, warmupMs: 0 },
    coldRuns: 1,
    http: {
      blocks: 1,
      rounds: 1,
      durationS: 1,
      warmupS: 0,
      connections: 4,
      requests: 200,
      inbox: { connections: 4, rounds: 1, requests: 200, warmupRequests: 0 },
    },
    memory: { durationS: 1, sampleEveryS: 0.5, warmupS: 0 },
    templates: { fields: [10], templates: [1, 2], measure: { samples: 2, sampleMs: 2, warmupMs: 0 } },
  },
};

/** What a full run may take at most, all parts together. */
export const FULL_RUN_LIMIT_S = 600;

/**
 * What a run costs beyond the time it measures, on the 2-core machine of the committed runs: a
 * sample's load generator starting in a fresh process and the server's CPU read over IPC (0.3 s:
 * what the duration of the last full run of the earlier layout, 899 s, leaves for its ~400 samples
 * beyond their loads; on a machine busy with other work it was up to 0.9 s, and every 0.1 s more
 * adds ~30 s to a full run); a server's start (Prism's takes seconds); one in-process group's
 * calibration and child start; one cold start; one template scenario's generation and bundling
 * (more with more templates).
 */
const COST = {
  sampleS: 0.3,
  serverStartS: 0.4,
  prismStartS: 3,
  groupS: 0.1,
  coldStartS: 0.05,
  scenarioS: 1,
  templateS: 0.1,
};

/** The in-process groups (bench/entries/in-process-*.ts: 6 of validateEventNotification, 3 of verifyRequest), two cases each. */
const IN_PROCESS_GROUPS = 9;
/** Candidates of the cold-start part: `node -e 0`, two empty entries, the ESM entry, the CommonJS build. */
const COLD_CANDIDATES = 5;
/** The HTTP duels' servers (bench/suites/http.ts): the adapter, four in every round, three in the first round of a set. */
const HTTP_SERVERS = { close: 4, sparse: 3 };
/** Request rates the inbox's samples are planned at, 50 connections: without an inbox, with one. */
const INBOX_RATE = { without: 15_000, with: 7_500 };

/** What `plannedSeconds` plans: the parts of bench/run.ts, the HTTP part's durable inbox apart. */
export type PlannedPart = "in-process" | "cold-start" | "templates" | "http" | "inbox" | "memory";

/** Planned seconds of each part of a run in `mode`, every server included. */
export function plannedSeconds(mode: Mode): Record<PlannedPart, number> {
  const { inProcess: ip, http, memory, templates: tp } = mode;
  const inProcess = IN_PROCESS_GROUPS * (COST.groupS + (ip.warmupMs + 2 * (ip.samples + 1) * ip.sampleMs) / 1_000);
  const coldStart = (mode.coldRuns + 1) * COLD_CANDIDATES * COST.coldStartS;
  const scenarios = [...tp.fields.map(() => 1), ...tp.templates];
  // Most warm-ups end after warmupMs (a validator stops getting faster); a quarter of the way to the most.
  const { warmupMs, maxWarmupMs = warmupMs } = tp.measure;
  const warm = (warmupMs + (maxWarmupMs - warmupMs) / 4 + tp.measure.samples * 2 * tp.measure.sampleMs) / 1_000;
  const templates =
    COST.scenarioS +
    scenarios.reduce((s, count) => s + COST.scenarioS + count * COST.templateS + warm, 0) +
    Math.min(mode.coldRuns, 15) * tp.templates.length * 0.1;
  const sample = (http.requests === undefined ? http.durationS : 0.1) + COST.sampleS;
  const servers = 1 + HTTP_SERVERS.close + HTTP_SERVERS.sparse;
  const perSet =
    (servers - 1) * COST.serverStartS +
    COST.prismStartS +
    servers * 2 * (http.warmupS + COST.sampleS) +
    2 * sample * (servers + (http.rounds - 1) * (1 + HTTP_SERVERS.close));
  const ib = http.inbox;
  const inboxSample = (rate: number, n = ib.requests) => n / rate + COST.sampleS;
  const inbox =
    3 * COST.serverStartS +
    2 * (inboxSample(INBOX_RATE.without, ib.warmupRequests) + 2 * inboxSample(INBOX_RATE.with, ib.warmupRequests)) +
    ib.rounds * 2 * (inboxSample(INBOX_RATE.without) + 2 * inboxSample(INBOX_RATE.with));
  const memoryS = 2 * (COST.serverStartS + memory.warmupS + memory.durationS + 2 * COST.sampleS);
  return {
    "in-process": inProcess,
    "cold-start": coldStart,
    templates,
    http: http.blocks * perSet,
    inbox,
    memory: memoryS,
  };
}
