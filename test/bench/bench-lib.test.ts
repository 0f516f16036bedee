/**
 * The benchmark's own machinery, where a mistake would skew every figure without failing the smoke
 * run: what environment its child processes start with, and how long in-process cases warm up.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { childEnv, droppedStartupVariables, STARTUP_VARIABLES, startChild } from "../../bench/lib/children.js";
import { type BenchCase, measureGroup } from "../../bench/lib/measure.js";

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
        child.once("exit", () => resolve(out));
      });
    expect(JSON.parse(await read())).toEqual([null, "kept"]);
    expect(JSON.parse(await read(process.env))).toEqual(["/nonexistent/bench-test.pem", "kept"]);
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
