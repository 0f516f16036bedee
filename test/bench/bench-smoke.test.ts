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
let report = "";
let stdout = "";

beforeAll(async () => {
  const result = await run(join(root, "node_modules/.bin/tsx"), ["bench/run.ts", "--smoke", "--out", out], {
    cwd: root,
    timeout: 170_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  stdout = result.stdout;
  report = readFileSync(out, "utf8");
}, 180_000);
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

const ADAPTER = "**createNodeHandler** (this package)";
/** The HTTP servers the adapter duels with, in the order of the tables. */
const AGAINST = [
  "bare node:http (no validation)",
  "node:http + JSON.parse (parse-only, no validation)",
  "node:http + JSON.parse + ajv (hand-rolled)",
  "fastify 5 + schema",
  "express 5 + express-openapi-validator",
  "Prism mock",
  "**createNodeHandler**, a second process (control)",
];

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
    expect(stdout).toMatch(
      /✔ planned: in-process \d+ s, cold-start \d+ s, templates \d+ s, http \d+ s, inbox \d+ s, memory \d+ s; total \d+ s\n/,
    );
    expect(stdout).toMatch(/✔ http duels: round 1\/1/);
    expect(report).toMatch(/- Duration of this run: [\d.]+ s \(planned \d+ s: in-process \d+ s, /);
    expect(stdout).toMatch(/✔ wrote /);
    expect(report).toContain("Written by `npm run bench:smoke`");
  });

  test("measures validateEventNotification and verifyRequest against their floors", () => {
    const project = rowsStartingWith("**validateEventNotification**");
    expect(project.length).toBe(6);
    for (const [, perOp, , ratio] of project) {
      expect(perOp).toMatch(/^[\d,.]+ (ns|µs|ms)$/);
      expect(ratio).toMatch(/^[\d,.]+×$/);
    }
    expect(rowsStartingWith("**verifyRequest**").length).toBe(3);
  });

  test("every HTTP server answered every request; the project's adapter gave every verdict right", () => {
    const http = report.split("\n## HTTP\n")[1]?.split("\n### ")[0] ?? "";
    expect(http).toContain("started with Node's default flags");
    const rows = http.split("\n").filter((line) => /^\| (GET|POST) \|/.test(line));
    const servers = [ADAPTER, ...AGAINST];
    expect(rows.map((row) => row.split("|")[2]?.trim())).toEqual([...servers, ...servers]);
    for (const row of rows) {
      const [, , server, , ratio, , , , failures, verdicts] = row.split("|").map((cell) => cell.trim());
      expect(ratio, server).toMatch(/^[\d.]+×$/);
      expect(failures, `${server}: non-2xx or errors under load`).toBe("0");
      if (server?.includes("(this package") || server?.includes("(control)"))
        expect(verdicts, server).toBe("all right");
      else expect(verdicts, server).not.toMatch(/check failed/);
    }
    expect(report).toMatch(
      /Run quality: \*\*createNodeHandler\*\*, which never changes, ranged POST [\d,]+–[\d,]+ req\/s/,
    );
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
        "**createNodeHandler**, no inbox",
        "**createNodeHandler** + SQLite inbox, synchronous FULL",
        "**createNodeHandler** + SQLite inbox, synchronous NORMAL",
      ]),
    );
    for (const [, , server, rps, ratio, , , , failures, perCommit, verdicts] of rows) {
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
    expect(stdout).toMatch(/✔ http inbox: round 1\/1/);
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
    expect(row?.[2]).toMatch(/^[\d,.]+ (ns|µs)$/);
  });

  test("the template-scale cold starts are interleaved and compared with the first template count", () => {
    const header = report.split("\n").find((line) => line.startsWith("| templates |")) ?? "";
    expect(header).toContain("| cold start ms | vs 1, ms |");
    const [first] = rowsStartingWith("1 |");
    const [second] = rowsStartingWith("2 |");
    expect(first?.at(-1)).toBe("—");
    expect(second?.at(-1)).toMatch(/^[+-][\d,.]+$/);
    expect(report).toMatch(/2 templates add [+-][\d.]+ ms to a cold start over 1/);
  });

  test("settles every HTTP target by duels with the adapter, the control beside them", () => {
    const duels = report.split("### Duels with **createNodeHandler** (this package)")[1]?.split(/\n#{2,3} /)[0] ?? "";
    const rows = duels.split("\n").filter((line) => /^\| (GET|POST) \|/.test(line));
    expect(
      rows.map((row) =>
        row
          .split("|")
          .slice(1, 3)
          .map((cell) => cell.trim()),
      ),
    ).toEqual(["POST", "GET"].flatMap((m) => AGAINST.map((name) => [m, name])));
    for (const row of rows) {
      const [, , , count, won, ratio, iqr] = row.split("|").map((cell) => cell.trim());
      expect(count).toBe("1");
      expect(won).toMatch(/^[01] of 1$/);
      expect(ratio).toMatch(/^[\d.]+×$/);
      expect(iqr).toMatch(/^[\d.]+×–[\d.]+×$/);
    }
    const targets = report.split("## Targets")[1]?.split("\n## ")[0] ?? "";
    const control = "won [01] of 1 duels; a second process of this package, the control, measured [\\d.]+×";
    for (const method of ["POST", "GET"]) {
      expect(targets).toMatch(
        new RegExp(`\\| ${method} through createNodeHandler ahead of fastify \\| [\\d.]+× \\| .*${control}`),
      );
      // The parse-only target: its row, its ratio and a verdict, decided by duels like fastify's.
      expect(targets).toMatch(
        new RegExp(
          `\\| ${method} through createNodeHandler ≥ parse-only \\(read \\+ JSON.parse, no validation\\), level within 3% \\| [\\d.]+× \\| (met|\\*\\*missed\\*\\*).*${control}`,
        ),
      );
    }
  });

  test("the memory part runs bare node:http beside the adapter, the young generation at its full size", () => {
    const memory = report.split("\n## Memory\n")[1]?.split("\n## ")[0] ?? "";
    expect(memory).toContain("--min-semi-space-size=16 --max-semi-space-size=16");
    const rows = memory.split("\n").filter((line) => /^\| (bare node:http|\*\*createNodeHandler\*\*) /.test(line));
    expect(rows).toHaveLength(2);
    // req/s, failures, RSS first → last, growth, heap after GC first → last
    for (const row of rows)
      expect(row).toMatch(/\| [\d,]+ \| 0 \| [\d.]+ → [\d.]+ \| [+-][\d.]+% \| [\d.]+ → [\d.]+ \|$/);
  });

  test("reports every target with a verdict", () => {
    const targets = report.split("## Targets")[1]?.split("\n## ")[0] ?? "";
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
    [
      ["--servers", "bare,nope"],
      /unknown server\(s\) nope; known: bare, parse, ajv, project, .*inbox-full, inbox-normal, no-reducer/,
    ],
    [["--rounds", "0"], /--rounds must be a whole number from 1 to 50, got 0/],
    [["--sets", "1.5"], /--sets must be a whole number from 1 to 20, got 1.5/],
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
