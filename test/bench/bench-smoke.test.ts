/**
 * Keeps `npm run bench` from rotting: runs it in smoke mode (every part, seconds each) with real
 * child processes and real HTTP on 127.0.0.1, and checks that every part produced numbers, that
 * the project's own rows were measured (not skipped for a build error) and that each server under
 * load gave the right verdicts. No timing thresholds: CI machines are too noisy for those.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const scratch = mkdtempSync(join(tmpdir(), "bench-smoke-"));
const out = join(scratch, "BENCHMARKS.md");
const samplesFile = join(scratch, "http-samples.json");
let report = "";
let stdout = "";

beforeAll(async () => {
  const result = await run(
    join(root, "node_modules/.bin/tsx"),
    ["bench/run.ts", "--smoke", "--out", out, "--samples", samplesFile],
    {
      cwd: root,
      timeout: 230_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  stdout = result.stdout;
  report = readFileSync(out, "utf8");
}, 240_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The data rows of the Markdown table whose first cell is `first`. */
const rowsStartingWith = (first: string) =>
  report
    .split("\n")
    .filter((line) => line.startsWith(`| ${first}`))
    .map((line) =>
      line
        .split("|")
        .map((cell) => cell.trim())
        .slice(1, -1),
    );

describe("npm run bench:smoke", () => {
  test.each([["In-process"], ["Cold start"], ["Template scale"], ["HTTP"], ["Memory"]])(
    "writes the %s section with measurements",
    (title) => {
      const section = report.split(`\n## ${title}\n`)[1]?.split("\n## ")[0] ?? "";
      expect(section, `no "## ${title}" section`).not.toBe("");
      expect(section).not.toMatch(/Not measured/);
      expect(section).toMatch(/\| [\d,.]+ (ns|µs|ms)? ?\|/);
    },
  );

  test("prints a progress line per step and names the command", () => {
    expect(stdout).toMatch(/✔ in-process POST decoded body, small, valid/);
    expect(stdout).toMatch(/✔ http round 1\/1/);
    expect(stdout).toMatch(/✔ wrote /);
    expect(report).toContain("Written by `npm run bench:smoke`");
  });

  test("measures validateEventNotification and verifyRequest against their floors", () => {
    const project = rowsStartingWith("**validateEventNotification**");
    expect(project.length).toBeGreaterThanOrEqual(8);
    for (const [, perOp, , ratio] of project) {
      expect(perOp).toMatch(/^[\d,.]+ (ns|µs|ms)$/);
      expect(ratio).toMatch(/^[\d,.]+×$/);
    }
    expect(rowsStartingWith("**verifyRequest**").length).toBe(4);
  });

  test("every HTTP server answered every request; the project's servers gave every verdict right", () => {
    const http = report.split("\n## HTTP\n")[1]?.split("\n### ")[0] ?? "";
    const rows = http.split("\n").filter((line) => /^\| (GET|POST) \|/.test(line));
    expect(rows.length).toBeGreaterThanOrEqual(2 * 9);
    for (const row of rows) {
      const cells = row.split("|").map((cell) => cell.trim());
      const [, , server, , , , , , , failures, verdicts] = cells;
      expect(failures, `${server}: non-2xx or errors under load`).toBe("0");
      if (server?.includes("(this package")) expect(verdicts, server).toBe("all right");
      else if (server?.includes("(a yardstick)")) {
        // Each yardstick says what its loop took, calibrated to the µs its name promises.
        const [, promised] = /\+ (\d+) µs of busy CPU/.exec(server) ?? [];
        const [, measured] = /its busy loop measured ([\d.]+) µs at start/.exec(verdicts ?? "") ?? [];
        expect(Number(measured), server).toBeGreaterThan(Number(promised) * 0.5);
        expect(Number(measured), server).toBeLessThan(Number(promised) * 1.5);
      } else expect(verdicts, server).not.toMatch(/check failed/);
    }
    expect(rows.filter((row) => row.includes("(a yardstick)"))).toHaveLength(2 * 2);
    expect(report).toContain("**createNodeHandler** (this package)");
    expect(report).toContain("**CLI `listen`** (this package");
    expect(report).toMatch(/Run quality: bare node:http, which never changes, ranged POST [\d,]+–[\d,]+ req\/s/);
  });

  test("the durable inbox: one row per 2xx in each SQLite file, beside the adapter without an inbox", () => {
    const inbox = report.split("\n### Durable inbox (SQLite)\n")[1]?.split("\n## ")[0] ?? "";
    expect(inbox).not.toBe("");
    expect(inbox).not.toMatch(/Not measured/);
    expect(inbox).toContain("survives a process crash and a power loss");
    const rows = inbox
      .split("\n")
      .filter((line) => /^\| (GET|POST) \|/.test(line))
      .map((line) => line.split("|").map((cell) => cell.trim()));
    expect(rows.map((cells) => cells[2])).toEqual(
      ["POST", "GET"].flatMap(() => [
        "bare node:http",
        "**createNodeHandler**, no inbox",
        "**createNodeHandler** + SQLite inbox, synchronous FULL",
        "**createNodeHandler** + SQLite inbox, synchronous NORMAL",
      ]),
    );
    for (const [, , server, rps, ratio, , , , , perCommit, failures, verdicts] of rows) {
      expect(rps, server).toMatch(/^[\d,]+$/);
      expect(ratio, server).toMatch(/^[\d.]+×$/);
      expect(failures, server).toBe("0");
      if (server?.includes("inbox,")) expect(perCommit, server).toMatch(/^[\d.]+$/);
      if (server?.startsWith("**")) expect(verdicts, server).toBe("all right");
    }
    for (const mode of ["FULL", "NORMAL"]) {
      const [, rowCount, answered] =
        new RegExp(`synchronous ${mode}: ([\\d,]+) rows, ([\\d,]+) 2xx answers`).exec(inbox) ?? [];
      expect(rowCount, mode).toBeDefined();
      expect(rowCount, mode).toBe(answered);
    }
    expect(stdout).toMatch(/✔ http inbox round 1\/1/);
  });

  test("says its child processes start without the machine's start-up settings", () => {
    expect(report).toMatch(
      /- Child processes start without NODE_OPTIONS, NODE_EXTRA_CA_CERTS, .*\(bench\/lib\/children\.ts\)/,
    );
  });

  test("the template-scale part reports the first calls of a fresh process beside the warm figures", () => {
    const [row] = rowsStartingWith("10 |");
    const header = report.split("\n").find((line) => line.startsWith("| fields |")) ?? "";
    expect(header).toContain("| first 1,000 calls | bare validator |");
    expect(row?.[5]).toMatch(/^[\d,.]+ (ns|µs)$/);
  });

  test("the template-scale cold starts are interleaved and compared with the first template count", () => {
    const header = report.split("\n").find((line) => line.startsWith("| templates |")) ?? "";
    expect(header).toContain("| cold start ms | vs 1, ms |");
    const [first] = rowsStartingWith("1 |");
    const [second] = rowsStartingWith("2 |");
    expect(first?.at(-1)).toBe("—");
    expect(second?.at(-1)).toMatch(/^[+-][\d,.]+$/);
    expect(report).toMatch(/cold start [\d.]+ → [\d.]+ ms, [+-][\d.]+ ms by the rounds' paired differences/);
  });

  test("--samples writes every HTTP sample, a duel's bare sample beside each server's", () => {
    const all = JSON.parse(readFileSync(samplesFile, "utf8")) as {
      round?: number;
      headToHead?: number;
      against?: string;
      method: string;
      server: string;
      reqPerSec: number;
      requests: number;
    }[];
    const samples = all.filter((x) => x.headToHead === undefined);
    const duels = all.filter((x) => x.headToHead !== undefined);
    // Smoke mode: one set of fresh processes after the round, holding one control duel per method
    // (this package against a second process of itself), then one head-to-head duel per method
    // (this package against fastify).
    expect(all.slice(-8)).toEqual(duels);
    const PROJECT = "**createNodeHandler** (this package)";
    const CONTROL = `${PROJECT}, a second process (control)`;
    expect(duels.map((x) => [x.method, x.headToHead, x.server, x.against])).toEqual([
      ["POST", 0, PROJECT, CONTROL],
      ["POST", 0, CONTROL, PROJECT],
      ["GET", 0, PROJECT, CONTROL],
      ["GET", 0, CONTROL, PROJECT],
      ["POST", 0, PROJECT, "fastify 5 + schema"],
      ["POST", 0, "fastify 5 + schema", PROJECT],
      ["GET", 0, PROJECT, "fastify 5 + schema"],
      ["GET", 0, "fastify 5 + schema", PROJECT],
    ]);
    for (const x of duels) expect(x.requests).toBeGreaterThan(0);
    const servers = new Set(samples.map((x) => x.server));
    expect(servers.size).toBeGreaterThanOrEqual(9);
    for (const method of ["GET", "POST"]) {
      const own = samples.filter((x) => x.method === method);
      // The yardsticks' names start with bare's own; only bare itself is "the limit".
      const bare = own.filter((x) => x.server === "bare node:http (no validation: the limit)");
      // Smoke mode: one round; every other server duels bare once per method.
      expect(bare.length).toBe(servers.size - 1);
      expect(own.length).toBe(2 * (servers.size - 1));
    }
    for (const x of samples) {
      expect(x.round).toBe(0);
      expect(x.requests).toBeGreaterThan(0);
      expect(x.reqPerSec).toBeGreaterThan(0);
    }
  });

  test("settles 'ahead of fastify' by head-to-head duels on fresh processes, beside a control", () => {
    const table =
      report
        .split("### Head to head: **createNodeHandler** (this package) against fastify 5 + schema")[1]
        ?.split(/\n#{2,3} /)[0] ?? "";
    expect(table).toContain("on 1 fresh set(s) of processes");
    const rows = table.split("\n").filter((line) => /^\| (GET|POST) \|/.test(line));
    expect(
      rows.map((row) =>
        row
          .split("|")
          .slice(1, 3)
          .map((cell) => cell.trim()),
      ),
    ).toEqual([
      ["POST", "fastify 5 + schema"],
      ["POST", "a second process of itself (control)"],
      ["GET", "fastify 5 + schema"],
      ["GET", "a second process of itself (control)"],
    ]);
    for (const row of rows) {
      const [, , , duels, won, ratio, iqr, byCpu] = row.split("|").map((cell) => cell.trim());
      expect(duels).toBe("1");
      expect(won).toMatch(/^[01] of 1$/);
      expect(ratio).toMatch(/^[\d.]+×$/);
      expect(iqr).toMatch(/^[\d.]+×–[\d.]+×$/);
      expect(byCpu).toMatch(/^[\d.]+×$/);
    }
    const targets = report.split("## Targets (issue 6)")[1]?.split("\n## ")[0] ?? "";
    for (const method of ["POST", "GET"]) {
      expect(targets).toMatch(
        new RegExp(
          `\\| ${method} through createNodeHandler ahead of fastify \\| [\\d.]+× \\| .*won [01] of 1 head-to-head duels, by CPU per request [\\d.]+×; two processes of this package, the control, measured [\\d.]+×`,
        ),
      );
    }
  });

  test("counts instructions with callgrind: a cold start against `node -e 0`, a request against bare", () => {
    // valgrind is on every machine this project runs on (../.library/env); without it the part
    // says so, and this test fails rather than pass on nothing.
    const section = report.split("\n## Instructions (callgrind)\n")[1]?.split("\n## ")[0] ?? "";
    expect(section).not.toMatch(/Not measured/);
    const row = (first: string) =>
      section
        .split("\n")
        .find((line) => line.startsWith(`| ${first} |`))
        ?.split("|")
        .map((cell) => cell.trim())
        .slice(1, -1);
    const nodeE0 = row("`node -e 0`");
    const esm = row("**impact-event-notifications** (ESM)");
    expect(nodeE0?.slice(1, 3)).toEqual([expect.stringMatching(/^[\d.]+ M$/), "baseline"]);
    expect(esm?.[2]).toMatch(/^\+[\d.]+ M$/);
    const perRequest = section.split("\n").filter((line) => line.startsWith("| POST |"));
    expect(perRequest.map((line) => line.split("|")[2]?.trim())).toEqual([
      "bare node:http (no validation: the limit)",
      "**createNodeHandler** (this package)",
    ]);
    const [, , , count, over, share] = (perRequest[1] ?? "").split("|").map((cell) => cell.trim());
    expect(count).toMatch(/^[\d,]+$/);
    expect(over).toMatch(/^[+-][\d,]+$/);
    expect(share).toMatch(/^[\d.]+×$/);
    expect(stdout).toMatch(/✔ instructions, POST createNodeHandler \(this package\): [\d,]+ a request/);
  });

  test("the memory part runs bare node:http beside the adapter, at Node's defaults and with the young generation full", () => {
    const memory = report.split("\n## Memory\n")[1]?.split("\n## ")[0] ?? "";
    const rows = memory
      .split("\n")
      .filter((line) =>
        /^\| (bare node:http|\*\*createNodeHandler\*\*) .*\| (Node's defaults|young generation at its full size) \|/.test(
          line,
        ),
      );
    expect(rows.map((line) => line.split("|")[2]?.trim())).toEqual([
      "Node's defaults",
      "Node's defaults",
      "young generation at its full size",
      "young generation at its full size",
    ]);
    for (const row of rows) {
      // req/s, failures, RSS first → last, growth, young generation first → last, heap after GC first → last
      expect(row).toMatch(/\| [\d,]+ \| 0 \| [\d.]+ → [\d.]+ \| [+-][\d.]+% \| [\d.]+ → [\d.]+ \| [\d.]+ → [\d.]+ \|$/);
    }
    // Started with the flags, the young generation is at V8's full size from the first sample.
    expect(rows[3]).toContain("| 32.0 → 32.0 |");
  });

  test("reports every issue 6 target with a verdict", () => {
    const targets = report.split("## Targets (issue 6)")[1]?.split("\n## ")[0] ?? "";
    const verdicts = targets
      .split("\n")
      .filter((line) => /^\| .+ \| .+ \| (met|\*\*missed\*\*|not measured)/.test(line));
    // 2 in-process, 2 cold start (ESM, CommonJS), 6 per HTTP method (one of them the inbox's), 1 memory.
    expect(verdicts.length).toBe(17);
    expect(targets).not.toContain("not measured");
  });
});

describe("npm run bench's arguments", () => {
  test.each([
    [["--servers", "bare,nope"], /unknown server\(s\) nope; known: bare, busy-1, busy-2, parse, ajv, project/],
    [["--rounds", "0"], /--rounds must be a whole number from 1 to 50, got 0/],
    [["--duels", "1.5"], /--duels must be a whole number from 0 to 200, got 1.5/],
    [["--only", "htp"], /unknown part\(s\) htp/],
  ])("%j exits 2 and says what is accepted", async (args, message) => {
    const failure = await run(join(root, "node_modules/.bin/tsx"), ["bench/run.ts", "--smoke", ...args], {
      cwd: root,
      timeout: 60_000,
    }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(message);
  });
});
