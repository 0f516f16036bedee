/**
 * The benchmark's own machinery, where a mistake would skew every figure without failing the smoke
 * run: what environment its child processes start with, what a cold-start child's own report
 * costs, and how long in-process cases warm up.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, test, vi } from "vitest";
import { buildEntries } from "../../bench/lib/build-entries.js";
import { calibrateBusyLoop, readBusyLoop } from "../../bench/lib/busy-loop.js";
import { RESULT_PREFIX } from "../../bench/lib/child-report.js";
import { childEnv, droppedStartupVariables, STARTUP_VARIABLES, startChild } from "../../bench/lib/children.js";
import type { Sample } from "../../bench/lib/http-measure.js";
import { bodies, query } from "../../bench/lib/inputs.js";
import { distinctRequests, type LoadSpec } from "../../bench/lib/load.js";
import { type BenchCase, measureGroup } from "../../bench/lib/measure.js";
import { modes } from "../../bench/lib/modes.js";
import type { SuiteContext } from "../../bench/lib/section.js";
import { aheadOfFastify, type HeadToHeadRun, httpServerPlans } from "../../bench/suites/http.js";
import { collected, dumpTotal, instructionPlan, settle } from "../../bench/suites/instructions.js";
import { growth, type Heap, type MemoryRun, memoryTarget } from "../../bench/suites/memory.js";

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

describe("cold-start entries", () => {
  test("bundle only the small body they send, not the other inputs built at start", async () => {
    const root = join(import.meta.dirname, "../..");
    const names = ["project", "standalone", "ajv", "fastify", "openapi-backend", "express-openapi-validator"];
    const built = await buildEntries(
      root,
      names.map((n) => `bench/entries/cold-${n}.ts`),
    );
    try {
      for (const name of names) {
        const file = built.files.get(`cold-${name}`);
        expect(file, built.failed.get(`cold-${name}`)).toBeDefined();
        const code = readFileSync(file as string, "utf8");
        expect(code, name).toContain("smallBody");
        // Identifiers survive the bench's minification (whitespace and syntax only).
        expect(code, name).not.toMatch(/largeBody|largeInvalidBody|coercibleBody/);
      }
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
  test("start without V8's memory reducer, the yardsticks with their busy time", async () => {
    const root = join(import.meta.dirname, "../..");
    const built = await buildEntries(root, [
      "bench/entries/server-bare.ts",
      "bench/entries/server-busy.ts",
      "bench/entries/server-project.ts",
    ]);
    const missing: string[] = [];
    const ctx: SuiteContext = { root, mode: modes.smoke, entries: built };
    const plans = httpServerPlans(ctx, missing).filter((p) => ["bare", "busy-2", "project"].includes(p.id));
    try {
      expect(plans.map((p) => p.id)).toEqual(["bare", "busy-2", "project"]);
      for (const plan of plans) {
        const server = await plan.start();
        try {
          const stats = await server.stats();
          // Idle between samples, the reducer left some processes slower for good (http.ts says why).
          expect(stats?.execArgv, plan.id).toContain("--no-memory-reducer");
          if (plan.id === "busy-2") expect(stats?.busyNs).toBeGreaterThan(1_000);
        } finally {
          await server.stop();
        }
      }
    } finally {
      rmSync(built.dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the yardstick's busy loop", () => {
  test("is calibrated to the time asked for, from any first reading", () => {
    // 0.7 ns per iteration plus 4 ns per call: the shape of a real loop's cost.
    const linear = (iterations: number) => 4 + iterations * 0.7;
    for (const targetNs of [1_000, 2_000, 50]) {
      const { iterations, measuredNs } = calibrateBusyLoop(targetNs, linear);
      expect(Math.abs(measuredNs - targetNs) / targetNs).toBeLessThanOrEqual(0.03);
      expect(measuredNs).toBe(linear(iterations));
    }
  });

  test("stops after a bounded number of readings when they never settle, and reports the last", () => {
    let calls = 0;
    // Every other reading twice too slow: the readings swing between 2× and 0.5× the target, never within 3%.
    const noisy = (iterations: number) => (++calls % 2 === 0 ? 2 : 1) * iterations;
    const { iterations, measuredNs } = calibrateBusyLoop(1_000, noisy);
    expect(calls).toBeLessThanOrEqual(13);
    expect(measuredNs).toBe((calls % 2 === 0 ? 2 : 1) * iterations);
  });

  test("reads the loop's own cost while other processes take the core now and then", () => {
    let batch = 0;
    // Every third batch lost the core for a while: its wall time is five times the loop's.
    const contended = (iterations: number) => (++batch % 3 === 0 ? 5 : 1) * iterations * 0.7;
    expect(readBusyLoop(1_000, contended)).toBe(700);
    expect(batch).toBeGreaterThan(3);
  });

  test("refuses a missing or non-positive time (an unset IMPACT_BENCH_BUSY_NS)", () => {
    for (const bad of [Number.NaN, 0, -5]) expect(() => calibrateBusyLoop(bad, (n) => n)).toThrow(RangeError);
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

describe("the 'ahead of fastify' verdict", () => {
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
  const run = (ours: number[], theirs: number[]): HeadToHeadRun => ({
    pair: [{ method: "GET", a: ours.map((r) => sample(r, 50)), b: theirs.map((r) => sample(r, 50)) }],
    control: [{ method: "GET", a: [sample(100, 50)], b: [sample(100, 50)] }],
    blocks: 1,
  });

  test("is met only above 1×: a tie is not ahead", () => {
    expect(aheadOfFastify(run([110, 90, 100], [100, 100, 100]), "GET")).toMatchObject({
      measured: "1.00×",
      met: false,
      note: "level at 1.00×, not above it; won 1 of 3 head-to-head duels, by CPU per request 1.00×; two processes of this package, the control, measured 1.00×",
    });
    expect(aheadOfFastify(run([110, 105, 100], [100, 100, 100]), "GET")).toMatchObject({ met: true });
    expect(aheadOfFastify(run([90, 95, 100], [100, 100, 100]), "GET")).toMatchObject({
      met: false,
      note: expect.stringMatching(/^missed by 5%; won 0 of 3/),
    });
  });

  test("is not measured when no duels ran", () => {
    expect(aheadOfFastify(undefined, "POST")).toMatchObject({ measured: "not measured", met: undefined });
  });
});

describe("instruction counts", () => {
  test("read callgrind's closing summary and a dump's totals, and nothing else", () => {
    const stderr = [
      "==2798== Callgrind, a call-graph generating cache profiler",
      "==2798== Events    : Ir",
      "==2798== Collected : 535713824",
      "==2798== I   refs:      535,713,824",
    ].join("\n");
    expect(collected(stderr)).toBe(535_713_824);
    expect(collected("==1== Events    : Ir\n")).toBeUndefined();
    const dump = [
      "version: 1",
      "creator: callgrind-3.19.0",
      "events: Ir",
      "fl=(1) ???",
      "0 12",
      "totals: 296129192",
      "",
    ];
    expect(dumpTotal(dump.join("\n"))).toBe(296_129_192);
    expect(dumpTotal("events: Ir\nsummary: 42\n")).toBe(42);
    // A cost line is not a total.
    expect(dumpTotal("events: Ir\n0 12\n")).toBeUndefined();
  });

  test("smoke mode counts the plumbing only; full mode every cold start and server, both methods", () => {
    const smoke = instructionPlan(modes.smoke);
    const full = instructionPlan(modes.full);
    expect(smoke.cold.map(([entry]) => entry)).toEqual([undefined, "cold-project"]);
    expect(smoke.servers.map(([entry]) => entry)).toEqual(["server-bare", "server-project"]);
    expect(full.cold.map(([entry]) => entry)).toContain("cold-project-cjs");
    expect(full.servers.map(([entry]) => entry)).toEqual([
      "server-bare",
      "server-parse",
      "server-ajv",
      "server-project",
      "server-fastify",
    ]);
    // GET: bare, parsing alone and this package's adapter.
    expect(full.servers.filter(([, , get]) => get === "GET").map(([entry]) => entry)).toEqual([
      "server-bare",
      "server-parse",
      "server-project",
    ]);
    expect(full.methods).toEqual(["POST", "GET"]);
    expect(full.counts.maxBlocks).toBeGreaterThan(2);
  });

  test("a count is settled once two blocks in a row agree within 3%", () => {
    expect(settle([280_000, 81_100])).toEqual({ perRequest: 81_100, blocks: [280_000, 81_100], settled: false });
    expect(settle([280_000, 81_100, 82_500]).settled).toBe(true);
    expect(settle([81_100]).settled).toBe(false);
    expect(settle([100_000, 102_900]).settled).toBe(true);
    expect(settle([100_000, 103_500]).settled).toBe(false);
  });
});

describe("the memory verdict", () => {
  const run = (server: string, heap: Heap, rss: readonly number[], young = 32 * 2 ** 20): MemoryRun => ({
    server,
    heap,
    result: { requests: 1, reqPerSec: 1, p50Ms: 1, p99Ms: 1, status2xx: 1, non2xx: 0, errors: 0 },
    samples: rss.map((mib, i) => ({ t: (i + 1) * 5, rss: mib * 2 ** 20, youngGeneration: young })),
    heapFirst: 4 * 2 ** 20,
    heapLast: 4 * 2 ** 20,
  });
  const project = "**createNodeHandler** (this package)";

  test("growth is from the first sample to the last, not to the peak", () => {
    expect(growth(run(project, "full", [100, 130, 105]))).toBeCloseTo(5, 10);
    expect(growth(run(project, "full", []))).toBeUndefined();
  });

  test("is decided by the run with the young generation at its full size, and names the defaults' runs", () => {
    const runs = [
      run("bare node:http", "defaults", [56, 66], 16 * 2 ** 20),
      run(project, "defaults", [56, 65.5], 16 * 2 ** 20),
      run("bare node:http", "full", [80, 80.4]),
      run(project, "full", [80, 81]),
    ];
    const check = memoryTarget(runs, 60);
    expect(check.met).toBe(true);
    expect(check.measured).toBe("+1.3% with the young generation at its full size (bare node:http +0.5%)");
    expect(check.note).toContain("with Node's defaults +17.0%, bare node:http +17.9%");
    expect(memoryTarget([runs[0] as MemoryRun, run(project, "full", [80, 90])], 60)).toMatchObject({
      met: false,
      note: expect.stringMatching(/^missed by 2\.5 points; /),
    });
  });

  test("is not measured without that run, whatever the defaults' runs say", () => {
    const check = memoryTarget([run(project, "defaults", [56, 56])], 60);
    expect(check).toMatchObject({ met: undefined, measured: "not measured" });
  });

  test("is not measured when requests failed in that run: a server dropping them holds nothing", () => {
    const failing = { ...run(project, "full", [80, 80]), result: { ...run(project, "full", []).result, non2xx: 3 } };
    expect(memoryTarget([failing], 60)).toMatchObject({
      met: undefined,
      measured: "not measured",
      note: "3 requests failed in the run",
    });
  });
});
