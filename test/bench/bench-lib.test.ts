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
import type { DuelRun, Sample } from "../../bench/lib/http-measure.js";
import { bodies, query } from "../../bench/lib/inputs.js";
import { distinctRequests, type LoadSpec } from "../../bench/lib/load.js";
import { type BenchCase, measureGroup } from "../../bench/lib/measure.js";
import { modes } from "../../bench/lib/modes.js";
import type { SuiteContext } from "../../bench/lib/section.js";
import { aheadOfFastify, httpServerPlans } from "../../bench/suites/http.js";
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
  test("start without V8's memory reducer", async () => {
    const root = join(import.meta.dirname, "../..");
    const built = await buildEntries(root, ["bench/entries/server-bare.ts", "bench/entries/server-project.ts"]);
    const missing: string[] = [];
    const ctx: SuiteContext = { root, mode: modes.smoke, entries: built };
    const plans = httpServerPlans(ctx, missing).filter((p) => ["bare", "project"].includes(p.id));
    try {
      expect(plans.map((p) => p.id)).toEqual(["bare", "project"]);
      for (const plan of plans) {
        const server = await plan.start();
        try {
          // Idle between samples, the reducer left some processes slower for good (http.ts says why).
          expect((await server.stats())?.execArgv, plan.id).toContain("--no-memory-reducer");
        } finally {
          await server.stop();
        }
      }
    } finally {
      rmSync(built.dir, { recursive: true, force: true });
    }
  }, 60_000);
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
  const PROJECT = "**createNodeHandler** (this package)";
  /** Duels of the adapter (`ours`) with fastify (`theirs`), and one with the control. */
  const run = (ours: number[], theirs: number[]): DuelRun => ({
    samples: new Map([
      [`GET ${PROJECT}`, [...ours, 100].map((r) => sample(r, 50))],
      [
        "GET fastify 5 + schema",
        theirs.map((r, i) => ({ ...sample(r, 50), reference: sample(ours[i] as number, 50) })),
      ],
      ["GET **createNodeHandler**, a second process (control)", [{ ...sample(100, 50), reference: sample(100, 50) }]],
    ]),
    names: [PROJECT, "fastify 5 + schema", "**createNodeHandler**, a second process (control)"],
    missing: [],
  });

  test("is met only above 1×: a tie is not ahead", () => {
    expect(aheadOfFastify(run([110, 90, 100], [100, 100, 100]), "GET")).toMatchObject({
      measured: "1.00×",
      met: false,
      note: "level at 1.00×, not above it; won 1 of 3 head-to-head duels; a second process of this package, the control, measured 1.00×",
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
