/**
 * The benchmark's own machinery, where a mistake would skew every figure without failing the smoke
 * run: what environment its child processes start with, what a cold-start child's own report
 * costs, how long in-process cases warm up, how an inbox gets distinct notifications, and the
 * verdicts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, test, vi } from "vitest";
import { buildEntries } from "../../bench/lib/build-entries.js";
import { RESULT_PREFIX } from "../../bench/lib/child-report.js";
import { childEnv, droppedStartupVariables, STARTUP_VARIABLES, startChild } from "../../bench/lib/children.js";
import {
  type DuelRun,
  duelRounds,
  type Method,
  perDuel,
  type Sample,
  type ServerPlan,
  samplesOf,
} from "../../bench/lib/http-measure.js";
import { bodies, query } from "../../bench/lib/inputs.js";
import { distinctRequests, type LoadSpec } from "../../bench/lib/load.js";
import { type BenchCase, measureGroup } from "../../bench/lib/measure.js";
import { FULL_RUN_LIMIT_S, modes, plannedSeconds } from "../../bench/lib/modes.js";
import type { SuiteContext } from "../../bench/lib/section.js";
import type { RunningServer } from "../../bench/lib/servers.js";
import {
  aheadOfFastify,
  DEFAULT_SERVER_IDS,
  httpServerPlans,
  LEVEL,
  levelWithParseOnly,
} from "../../bench/suites/http.js";
import { growth, type MemoryRun, memoryTarget } from "../../bench/suites/memory.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("bench child processes", () => {
  test("start without the settings that change every Node process's start, and with everything else", () => {
    const given = {
      PATH: "/usr/bin",
      IMPACT_BENCH_LIFETIME_MS: "1000",
      NODE_OPTIONS: "--require ./x.js",
      NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt",
      NODE_COMPILE_CACHE: "/tmp/cache",
      NODE_V8_COVERAGE: "/tmp/coverage",
    };
    expect(childEnv(given)).toEqual({ PATH: "/usr/bin", IMPACT_BENCH_LIFETIME_MS: "1000" });
    expect(droppedStartupVariables(given)).toEqual([...STARTUP_VARIABLES]);
    expect(droppedStartupVariables({ PATH: "/usr/bin", NODE_OPTIONS: "" })).toEqual([]);
  });

  test("a real child does not see them, unless an environment is given explicitly", async () => {
    vi.stubEnv("NODE_EXTRA_CA_CERTS", "/nonexistent/bench-test.pem");
    vi.stubEnv("IMPACT_BENCH_PROBE", "kept");
    const read = (env?: NodeJS.ProcessEnv) =>
      new Promise<string>((resolve, reject) => {
        const child = startChild(
          process.execPath,
          [
            "-e",
            "process.stdout.write(JSON.stringify([process.env.NODE_EXTRA_CA_CERTS ?? null, process.env.IMPACT_BENCH_PROBE ?? null]))",
          ],
          { stdio: ["ignore", "pipe", "ignore"], ...(env === undefined ? {} : { env }) },
        );
        let out = "";
        child.stdout?.setEncoding("utf8").on("data", (c: string) => {
          out += c;
        });
        child.once("error", reject);
        child.once("close", () => resolve(out));
      });
    expect(JSON.parse(await read())).toEqual([null, "kept"]);
    expect(JSON.parse(await read(process.env))).toEqual(["/nonexistent/bench-test.pem", "kept"]);
  });
});

describe("a cold-start child's report", () => {
  test("loads no Node module that an empty ESM entry does not load", async () => {
    // The empty bundled entry (bench/entries/cold-node.ts) does nothing but report. Whatever its
    // report loads (an ESM import of node:fs builds streams; the performance global, perf_hooks)
    // would be the harness's start-up cost, added to every cold-start row.
    const root = join(import.meta.dirname, "../..");
    const built = await buildEntries(root, ["bench/entries/cold-node.ts"]);
    const entry = built.files.get("cold-node");
    expect(entry, built.failed.get("cold-node")).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), "impact-report-"));
    try {
      const probe = join(dir, "probe.mjs");
      writeFileSync(
        probe,
        [
          "if (process.argv[2] !== undefined) await import(process.argv[2]);",
          'process.getBuiltinModule("node:fs").writeSync(2, JSON.stringify(process.moduleLoadList));',
        ].join("\n"),
      );
      // The probe prints the modules Node loaded on stderr; the entry's report goes to stdout.
      const run = (...args: string[]) => {
        const child = spawnSync(process.execPath, [probe, ...args], { env: childEnv(), encoding: "utf8" });
        expect(child.status, child.stderr).toBe(0);
        return { stdout: child.stdout, modules: JSON.parse(child.stderr) as string[] };
      };
      const empty = new Set(run().modules);
      const reported = run(pathToFileURL(entry as string).href);
      expect(reported.stdout).toMatch(new RegExp(`^${RESULT_PREFIX}\\{"ms":[0-9.]+,"cpuMs":[0-9.]+\\}\\n$`));
      expect(reported.modules.filter((m) => !empty.has(m))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(built.dir, { recursive: true, force: true });
    }
  });
});

describe("the cold-start entry", () => {
  test("bundles only the small body it sends, not the other inputs built at start", async () => {
    const root = join(import.meta.dirname, "../..");
    const built = await buildEntries(root, ["bench/entries/cold-project.ts"]);
    try {
      const file = built.files.get("cold-project");
      expect(file, built.failed.get("cold-project")).toBeDefined();
      const code = readFileSync(file as string, "utf8");
      expect(code).toContain("smallBody");
      // Identifiers survive the bench's minification (whitespace and syntax only).
      expect(code).not.toMatch(/largeBody|largeInvalidBody|coercibleBody/);
    } finally {
      rmSync(built.dir, { recursive: true, force: true });
    }
  });
});

describe("measureGroup's warm-up", () => {
  /**
   * A case that gets 30% faster every 100 ms for its first 500 ms, then stays flat: like a large
   * function V8 optimizes late. It reports its cost instead of spending it, after a short real wait
   * so the clock moves.
   */
  function lateOptimized(): BenchCase {
    const start = performance.now();
    const perOp = () => 1_000 * 0.7 ** Math.min(5, Math.floor((performance.now() - start) / 100));
    return {
      name: "late",
      role: "floor",
      batch: async (n) => {
        await new Promise((r) => setTimeout(r, 2));
        return n * perOp();
      },
    };
  }
  const settled = 1_000 * 0.7 ** 5;

  test("a fixed warm-up ends when warmupMs is over, whatever the case is still doing", async () => {
    const [result] = await measureGroup([lateOptimized()], { samples: 3, sampleMs: 1, warmupMs: 50 });
    expect(Math.min(...(result?.samples ?? []))).toBeGreaterThan(settled * 1.2);
  });

  test("with maxWarmupMs it goes on while the case still gets faster, and measures it settled", async () => {
    const [result] = await measureGroup([lateOptimized()], {
      samples: 3,
      sampleMs: 1,
      warmupMs: 150,
      maxWarmupMs: 5_000,
    });
    for (const sample of result?.samples ?? []) expect(sample).toBeCloseTo(settled, 6);
    expect(result?.samples).toHaveLength(3);
  });
});

describe("the HTTP part's servers", () => {
  test("start with Node's default flags; the --no-memory-reducer variant only beside them", async () => {
    const root = join(import.meta.dirname, "../..");
    const built = await buildEntries(root, ["bench/entries/server-bare.ts", "bench/entries/server-project.ts"]);
    const missing: string[] = [];
    const ctx: SuiteContext = { root, mode: modes.smoke, entries: built };
    const plans = httpServerPlans(ctx, missing).filter((p) => ["project", "bare", "no-reducer"].includes(p.id));
    try {
      expect(plans.map((p) => p.id)).toEqual(["project", "bare", "no-reducer"]);
      const flags = new Map<string, readonly string[] | undefined>();
      for (const plan of plans) {
        const server = await plan.start();
        try {
          flags.set(plan.id, (await server.stats())?.execArgv);
        } finally {
          await server.stop();
        }
      }
      // What users run: no flag at all, not even --expose-gc (only the memory part asks for a GC).
      expect(flags.get("project")).toEqual([]);
      expect(flags.get("bare")).toEqual([]);
      expect(flags.get("no-reducer")).toEqual(["--no-memory-reducer"]);
      expect(DEFAULT_SERVER_IDS).not.toContain("no-reducer");
    } finally {
      rmSync(built.dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the duels", () => {
  /** A server that answers nothing: `sampleOf` makes up its samples. */
  const fake = (name: string): ServerPlan => ({
    id: name,
    name,
    start: async () => ({
      name,
      origin: "http://127.0.0.1:1",
      stats: async () => undefined,
      stop: async () => undefined,
    }),
  });
  /** Samples whose req/s come from `rates`, server by server, in the order they are taken (100 once used up), logged. */
  const sampleOf = (log: string[], rates: Map<string, number[]>) => async (server: RunningServer, m: Method) => {
    log.push(`${m} ${server.name}`);
    const reqPerSec = rates.get(server.name)?.shift() ?? 100;
    return {
      requests: reqPerSec,
      reqPerSec,
      p50Ms: 1,
      p99Ms: reqPerSec / 100,
      status2xx: reqPerSec,
      non2xx: 0,
      errors: 0,
      cpuUsPerRequest: 10,
    };
  };

  test("a round samples every server once, the reference among them; a duel is against the reference's of its round", async () => {
    const log: string[] = [];
    const rates = new Map([
      ["ref", [100, 90]],
      ["a", [50, 45]],
      ["b", [200, 180]],
    ]);
    const run = await duelRounds({
      label: "test",
      reference: fake("ref"),
      others: [fake("a"), fake("b")],
      rounds: 1,
      blocks: 1,
      sample: sampleOf(log, rates),
    });
    expect(log).toEqual(["POST ref", "POST a", "POST b", "GET ref", "GET a", "GET b"]);
    expect(perDuel(run, "a", "POST", (x, ref) => ref.reqPerSec / x.reqPerSec)).toEqual([2]);
    expect(perDuel(run, "b", "GET", (x, ref) => x.reqPerSec / ref.reqPerSec)).toEqual([2]);
    expect(perDuel(run, "b", "GET", (x, ref) => x.p99Ms - ref.p99Ms)).toEqual([0.9]);
    expect(samplesOf(run, "ref", "POST").map((x) => x.reqPerSec)).toEqual([100]);
  });

  test("every server is loaded at the same rhythm: a sparse one in the first round of each set only; the order rotates", async () => {
    const log: string[] = [];
    const [ref, close, far] = ["ref", "close", "far"].map((n) => fake(n)) as [ServerPlan, ServerPlan, ServerPlan];
    const run = await duelRounds({
      label: "test",
      reference: ref,
      others: [close, far],
      rounds: 3,
      blocks: 2,
      sparse: new Set([far]),
      sample: sampleOf(log, new Map()),
    });
    expect(samplesOf(run, "ref", "GET")).toHaveLength(6);
    expect(samplesOf(run, "close", "GET")).toHaveLength(6);
    expect(samplesOf(run, "far", "GET")).toHaveLength(2);
    const posts = log.filter((line) => line.startsWith("POST")).map((line) => line.slice(5));
    expect(posts.slice(0, 7)).toEqual(["ref", "close", "far", "close", "ref", "ref", "close"]);
  });
});

describe("a full run's plan", () => {
  test("takes at most FULL_RUN_LIMIT_S, every part included", () => {
    const plan = plannedSeconds(modes.full);
    expect(Object.keys(plan)).toEqual(["in-process", "cold-start", "templates", "http", "inbox", "memory"]);
    for (const seconds of Object.values(plan)) expect(seconds).toBeGreaterThan(5);
    expect(Object.values(plan).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(FULL_RUN_LIMIT_S);
  });

  test("grows with what the mode asks for", () => {
    const full = modes.full;
    const more = { ...full, http: { ...full.http, blocks: full.http.blocks * 2 } };
    expect(plannedSeconds(more).http).toBeGreaterThan(plannedSeconds(full).http * 1.6);
  });
});

describe("distinct notifications for an inbox", () => {
  const base = { connections: 1, durationS: 1 };
  const setup = (spec: LoadSpec) => {
    const next = distinctRequests(spec);
    if (next === undefined) throw new Error("no setupRequest");
    return next;
  };
  test("every request gets its own action_id, of the documented one's length, in the query or the body", () => {
    const get = setup({
      ...base,
      url: `http://127.0.0.1:1/p?${query}`,
      method: "GET",
      distinct: { token: "1234567890", prefix: "x007" },
    });
    const paths = Array.from({ length: 3 }, () => get({ path: "/" }).path);
    expect(paths).toEqual([0, 1, 2].map((n) => `/p?${query.replace("1234567890", `x00700000${n}`)}`));
    const post = setup({
      ...base,
      url: "http://127.0.0.1:1/p",
      method: "POST",
      body: bodies.small,
      distinct: { token: "1234567890", prefix: "x008" },
    });
    const body = String(post({ path: "/p", body: bodies.small }).body);
    expect(body).toBe(bodies.small.replace("1234567890", "x008000000"));
    expect(body.length).toBe(bodies.small.length);
  });

  test("never repeats: past the counter's width it throws", () => {
    const next = setup({
      ...base,
      url: "http://127.0.0.1:1/p?id=abc",
      method: "GET",
      distinct: { token: "abc", prefix: "xy" },
    });
    for (let n = 0; n < 10; n++) next({ path: "/" });
    expect(() => next({ path: "/" })).toThrow(/more than 10 requests/);
    expect(distinctRequests({ ...base, url: "http://127.0.0.1:1/", method: "GET" })).toBeUndefined();
  });
});

describe("the duel targets: ahead of fastify, level with parse-only", () => {
  const sample = (reqPerSec: number, cpuUsPerRequest: number): Sample => ({
    requests: 1_000,
    reqPerSec,
    p50Ms: 0.5,
    p99Ms: 1,
    status2xx: 1_000,
    non2xx: 0,
    errors: 0,
    cpuUsPerRequest,
  });
  const PROJECT = "**createNodeHandler** (this package)";
  const CONTROL = "**createNodeHandler**, a second process (control)";
  /** Duels of the adapter (`ours`) with `against` (`theirs`), and one with the control. */
  const run = (ours: number[], theirs: number[], against = "fastify 5 + schema"): DuelRun => ({
    samples: new Map([
      [`GET ${PROJECT}`, [...ours, 100].map((r) => sample(r, 50))],
      [`GET ${against}`, theirs.map((r, i) => ({ ...sample(r, 50), reference: sample(ours[i] as number, 50) }))],
      [`GET ${CONTROL}`, [{ ...sample(100, 50), reference: sample(100, 50) }]],
    ]),
    names: [PROJECT, against, CONTROL],
    missing: [],
  });

  test("ahead of fastify is met only above 1×: a tie is not ahead", () => {
    expect(aheadOfFastify(run([110, 90, 100], [100, 100, 100]), "GET")).toMatchObject({
      measured: "1.00×",
      met: false,
      note: "level at 1.00×, not above it; won 1 of 3 duels; a second process of this package, the control, measured 1.00×",
    });
    expect(aheadOfFastify(run([110, 105, 100], [100, 100, 100]), "GET")).toMatchObject({ met: true });
    expect(aheadOfFastify(run([90, 95, 100], [100, 100, 100]), "GET")).toMatchObject({
      met: false,
      note: expect.stringMatching(/^missed by 5%; won 0 of 3/),
    });
  });

  test(`level with parse-only is met from ${LEVEL}× on, decided by the median duel`, () => {
    const parseOnly = "node:http + JSON.parse (parse-only, no validation)";
    const level = (ours: number[]) => levelWithParseOnly(run(ours, [100, 100, 100], parseOnly), "GET");
    expect(level([97, 90, 120])).toMatchObject({
      measured: "0.97×",
      met: true,
      note: "won 1 of 3 duels; a second process of this package, the control, measured 1.00×",
    });
    expect(level([96, 90, 120])).toMatchObject({
      met: false,
      note: expect.stringMatching(/^missed by 1%; won 1 of 3/),
    });
    expect(level([100, 100, 100]).target).toBe(
      "GET through createNodeHandler ≥ parse-only (read + JSON.parse, no validation), level within 3%",
    );
    // Fastify's duels say nothing about parse-only.
    expect(levelWithParseOnly(run([100], [100]), "GET")).toMatchObject({ measured: "not measured", met: undefined });
  });

  test("is not measured when no duels ran", () => {
    expect(aheadOfFastify(undefined, "POST")).toMatchObject({ measured: "not measured", met: undefined });
    expect(levelWithParseOnly(undefined, "POST")).toMatchObject({ measured: "not measured", met: undefined });
  });
});

describe("the memory verdict", () => {
  const run = (server: string, rss: readonly number[]): MemoryRun => ({
    server,
    result: { requests: 1, reqPerSec: 1, p50Ms: 1, p99Ms: 1, status2xx: 1, non2xx: 0, errors: 0 },
    rss: rss.map((mib) => mib * 2 ** 20),
    heapFirst: 4 * 2 ** 20,
    heapLast: 4 * 2 ** 20,
  });
  const project = "**createNodeHandler** (this package)";

  test("growth is from the first sample to the last, not to the peak", () => {
    expect(growth(run(project, [100, 130, 105]))).toBeCloseTo(5, 10);
    expect(growth(run(project, []))).toBeUndefined();
  });

  test("is met at 10% or less, with bare node:http beside it", () => {
    const runs = [run("bare node:http", [80, 80.4]), run(project, [80, 81])];
    expect(memoryTarget(runs, 60)).toMatchObject({
      met: true,
      measured: "+1.3% (bare node:http +0.5%)",
    });
    expect(memoryTarget([runs[0] as MemoryRun, run(project, [80, 90])], 60)).toMatchObject({
      met: false,
      note: "missed by 2.5 points",
    });
    expect(memoryTarget([runs[0] as MemoryRun], 60)).toMatchObject({ met: undefined, measured: "not measured" });
  });

  test("is not measured when requests failed in the run: a server dropping them holds nothing", () => {
    const failing = { ...run(project, [80, 80]), result: { ...run(project, []).result, non2xx: 3 } };
    expect(memoryTarget([failing], 60)).toMatchObject({
      met: undefined,
      measured: "not measured",
      note: "3 requests failed",
    });
  });
});
