/** The CLI as users run it: help, one-line errors with exit codes, validate, send, mock. */
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitCodes } from "../../src/cli/exit-codes.js";
import { freePort } from "../../src/cli/free-port.js";
import { readmeTable } from "../helpers/readme-table.js";
import { root, runCli, startCli, startListen } from "./cli-process.js";

const COMMANDS = ["listen", "send", "validate", "generate", "mock"];

describe("help", () => {
  it("--help lists every command with an example", async () => {
    const { code, stdout } = await runCli(["--help"]);
    expect(code).toBe(0);
    for (const command of COMMANDS) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
      expect(stdout).toMatch(new RegExp(`impact-event-notifications ${command}`));
    }
  });

  it("help on an inherited object name (help toString) is the general help", async () => {
    const { code, stdout } = await runCli(["help", "toString"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}listen /m);
    expect(stdout).not.toMatch(/native code|function/);
  });

  it.each(COMMANDS)("%s --help shows its examples and the exit codes", async (command) => {
    const { code, stdout } = await runCli([command, "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Examples:");
    expect(stdout).toContain("Exit codes:");
  });

  it("the README's exit-code table is exit-codes.ts", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const codes = readmeTable(readme, ["Code", "Meaning"]).map(([code]) => Number(code));
    expect(codes).toEqual(Object.values(exitCodes));
  });
});

describe("errors are one line with the fix, and an exit code", () => {
  it.each([
    [["frob"], exitCodes.usage, /Unknown command "frob".*--help/],
    [["toString"], exitCodes.usage, /Unknown command "toString".*--help/],
    [["constructor", "--help"], exitCodes.usage, /Unknown command "constructor".*--help/],
    [["__proto__"], exitCodes.usage, /Unknown command "__proto__".*--help/],
    [["send"], exitCodes.usage, /send needs --to URL/],
    [["send", "--to", "ftp://x"], exitCodes.usage, /http:\/\/ or https:\/\//],
    [
      ["send", "--to", "http://127.0.0.1:9/x", "--count", "0"],
      exitCodes.usage,
      /--count must be a whole number from 1/,
    ],
    [["send", "--to", "http://127.0.0.1:9/x", "--bogus"], exitCodes.usage, /Unknown option '--bogus'.*send --help/],
    [["send", "--to", "http://127.0.0.1:9/x", "--fixture", "nope"], exitCodes.usage, /No fixture "nope"/],
    [
      ["send", "--to", "http://127.0.0.1:9/x", "--secret", "s", "--secret-param", "t", "--secret-header", "x-s"],
      exitCodes.usage,
      /--secret-param or --secret-header, not both/,
    ],
    [
      ["send", "--to", "http://127.0.0.1:9/x", "--secret", "s", "--secret-header", "x s"],
      exitCodes.usage,
      /--secret-header: .*secret\.header must be an HTTP header name/,
    ],
    [["validate", "/nonexistent/file.txt"], exitCodes.environment, /no such file/],
    [["listen", "--contract", "nope"], exitCodes.usage, /Unknown contract "nope"/],
    [["validate", "--contract", "nope", "/nonexistent/file.txt"], exitCodes.usage, /Unknown contract "nope"/],
  ] as const)("%j", async (args, exit, message) => {
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(exit);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe("");
  });

  it("send to a receiver that is not running exits 3 and says how to start one", async () => {
    const port = await freePort();
    const { code, stderr } = await runCli(["send", "--to", `http://127.0.0.1:${port}/notifications`]);
    expect(code).toBe(exitCodes.environment);
    expect(stderr).toMatch(/Cannot reach .*ECONNREFUSED.*npm start/);
  });

  it("listen on a port in use exits 3", async () => {
    const listen = await startListen();
    try {
      const port = new URL(listen.url).port;
      const { code, stderr } = await runCli(["listen", "--port", port]);
      expect(code).toBe(exitCodes.environment);
      expect(stderr).toMatch(/Port \d+ on 127.0.0.1 is in use/);
    } finally {
      await listen.stop();
    }
  });
});

describe("validate", () => {
  const dir = mkdtempSync(join(tmpdir(), "ien-validate-"));
  const file = join(dir, "captured.txt");
  writeFileSync(
    file,
    [
      "# access log extract",
      "https://partner.example/postback?campaign_id=10306&action_id=1000.4636.158133&status=APPROVED&payout=5.00",
      '34.150.206.12 - - [11/May/2026:00:07:27 +0300] "GET /postback?payout=1e3 HTTP/1.1" 200 2 "-" "Impact-Postback-Client/1.0"',
      '{"payout":"5.00","items":[{"sku":"APP-0016","qty":"1","amt":"719.10"}]}',
      '{"payout":5}',
      "/postback?status=APPROVED&status=REVERSED",
    ].join("\n"),
  );

  it("reports each verdict and exits 1 when any is invalid", async () => {
    const { code, stdout } = await runCli(["validate", file]);
    expect(code).toBe(exitCodes.rejected);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^✔ line 2: valid GET campaign_id=10306 action_id=1000.4636.158133 status=APPROVED payout=5.00/,
    );
    expect(lines[1]).toMatch(/^✖ line 3: invalid GET invalid_notification: \/payout must be a decimal string/);
    expect(lines[2]).toMatch(/^✔ line 4: valid POST/);
    expect(lines[3]).toMatch(/^✖ line 5: invalid POST invalid_notification: \/payout /);
    expect(lines[4]).toMatch(/^✖ line 6: invalid GET invalid_notification: \/status is repeated/);
    expect(lines[5]).toBe("5 checked, 2 valid, 3 invalid");
  });

  it("reads JSON bodies with the receiver's parser: a repeated key is refused, an escaped key decoded", async () => {
    const bodies = join(dir, "bodies.txt");
    // The first line primes V8's key cache with the key `\`; on Node 24 JSON.parse would then
    // read the escaped `\u0070ayout` of the third line as `\` too (nodejs/node#63785).
    writeFileSync(
      bodies,
      [
        '{"campaign_id":"10306","\\\\":"x"}',
        '{"payout":"5.00","payout":"6.00"}',
        '{"campaign_id":"10306","\\u0070ayout":"5,00"}',
      ].join("\n"),
    );
    const { stdout } = await runCli(["validate", bodies]);
    const lines = stdout.trim().split("\n");
    expect(lines[1]).toMatch(/^✖ line 2: is refused by the receiver's JSON parser \(duplicate_key at \/payout\)/);
    // Decoded as `payout`, so its bad value is caught; read as `\\` it would pass unnoticed.
    expect(lines[2]).toMatch(/^✖ line 3: invalid POST invalid_notification: \/payout must be a decimal/);
  });

  it("escapes received key names in issue paths, so a captured request cannot forge terminal output", async () => {
    const captured = join(dir, "escape.txt");
    writeFileSync(captured, "/postback?%1B%5B31m=1&%1B%5B31m=2\n");
    const { stdout } = await runCli(["validate", captured]);
    expect(stdout).not.toContain("\u001b");
    expect(stdout).toContain("/\\u001b[31m is repeated");
  });

  it("--json prints one verdict per line", async () => {
    const { code, stdout } = await runCli(["validate", "--json", file]);
    expect(code).toBe(exitCodes.rejected);
    const verdicts = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { line: number; valid: boolean; code?: string });
    expect(verdicts.map((v) => [v.line, v.valid])).toEqual([
      [2, true],
      [3, false],
      [4, true],
      [5, false],
      [6, false],
    ]);
  });

  it("checks a line on a template's route against that template (and --contract overrides it)", async () => {
    const captured =
      "https://partner.example.com/webhook/postback-impact?SubId1=a&SubId2=&SubId3=&CampaignId=25619&CampaignName=Base44%20&ActionTrackerId=47270&ActionTrackerName=Purchase&Amount=0.00&Payout=100.00&EventDate=2026-05-11T00:07:27%2B03:00&CreationDate=&LockingDate=2026-06-16T00:00:00%2B03:00&RefClickId=z&SharedId=";
    const stdin = `${captured}\n${captured.replace("Payout=100.00", "Payout=1e3")}\n`;
    const routed = await runCli(["validate", "--json", "-"], { stdin });
    const verdicts = routed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { contract: string; valid: boolean; issues?: { path: string }[] });
    expect(verdicts.map((v) => [v.contract, v.valid])).toEqual([
      ["lifecycle-get", true],
      ["lifecycle-get", false],
    ]);
    expect(verdicts[1]?.issues?.map((i) => i.path)).toEqual(["/Payout"]);
    const forced = await runCli(["validate", "--contract", "documented", "-"], { stdin });
    expect(forced.stdout).toContain("2 checked, 2 valid, 0 invalid");
  });

  const body = { campaign_id: "10306", action_id: "1234567890", status: "APPROVED", payout: "5.00" };

  it("reads a pretty-printed body, or an array of them, as one document", async () => {
    const one = join(dir, "body.json");
    writeFileSync(one, `${JSON.stringify(body, null, 2)}\n`);
    const single = await runCli(["validate", one]);
    expect(single.code).toBe(exitCodes.ok);
    expect(single.stdout).toMatch(/^✔ line 1: valid POST campaign_id=10306/);
    expect(single.stdout).toContain("1 checked, 1 valid, 0 invalid");
    const many = join(dir, "bodies.json");
    writeFileSync(many, JSON.stringify([body, { ...body, payout: "5,00" }], null, 2));
    const { code, stdout } = await runCli(["validate", many]);
    expect(code).toBe(exitCodes.rejected);
    expect(stdout).toMatch(/✖ line 2: invalid POST invalid_notification: \/payout must be a decimal/);
    expect(stdout).toContain("2 checked, 1 valid, 1 invalid");
  });

  it("says once that a multi-line document would be refused, and reads one from stdin", async () => {
    const repeated = join(dir, "repeated.json");
    writeFileSync(repeated, '{\n  "payout": "5.00",\n  "payout": "6.00"\n}\n');
    const refused = await runCli(["validate", repeated]);
    expect(refused.stdout).toMatch(/^✖ line 1: is refused by the receiver's JSON parser \(duplicate_key at \/payout\)/);
    expect(refused.stdout).toContain("1 checked, 0 valid, 1 invalid");
    const piped = await runCli(["validate", "-"], { stdin: JSON.stringify(body, null, 2) });
    expect(piped.stdout).toContain("1 checked, 1 valid, 0 invalid");
  });

  it("reads its input once, so a pipe works (validate <(zcat access.log.gz))", async () => {
    const fifo = join(dir, "access.pipe");
    execFileSync("mkfifo", [fifo]);
    const run = runCli(["validate", fifo], { timeoutMs: 15_000 });
    // Opening a FIFO for writing waits for its reader: the CLI.
    createWriteStream(fifo).end("/postback?payout=5.00\n/postback?payout=1e3\n");
    const { code, stdout } = await run;
    expect(code).toBe(exitCodes.rejected);
    expect(stdout).toMatch(/^✔ line 1: valid GET payout=5.00\n✖ line 2: invalid GET/);
    expect(stdout).toContain("2 checked, 1 valid, 1 invalid");
  });

  it("reads stdin and exits 0 when all are valid", async () => {
    const { code, stdout } = await runCli(["validate", "-"], { stdin: '?payout=5.00\n{"status":"APPROVED"}\n' });
    expect(code).toBe(exitCodes.ok);
    expect(stdout).toContain("2 checked, 2 valid, 0 invalid");
  });
});

describe("send --count", () => {
  let listen: Awaited<ReturnType<typeof startListen>>;
  beforeAll(async () => {
    listen = await startListen(["--json"]);
  });
  afterAll(async () => {
    await listen?.stop();
  });

  it("sends N seeded samples at the rate and prints statuses and latencies", async () => {
    const { code, stdout } = await runCli([
      "send",
      "--to",
      listen.url,
      "--method",
      "POST",
      "--count",
      "30",
      "--rate",
      "100",
      "--seed",
      "7",
    ]);
    expect(code).toBe(exitCodes.ok);
    expect(stdout).toMatch(/^Sent 30 in \d+\.\d s \(\d+\.\d\/s\): 200 ×30 · latency min .* p50 .* p95 .* max .*$/m);
    const accepted = listen
      .stdout()
      .split("\n")
      .filter((l) => l.includes('"accepted":true'));
    expect(accepted.length).toBeGreaterThanOrEqual(30);
  });

  it("the same seed sends the same notifications", async () => {
    const before = listen.stdout().length;
    await runCli(["send", "--to", listen.url, "--seed", "42"]);
    await runCli(["send", "--to", listen.url, "--seed", "42"]);
    const lines = listen
      .stdout()
      .slice(before)
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { notification: unknown });
    expect(lines).toHaveLength(2);
    expect(lines[0]?.notification).toEqual(lines[1]?.notification);
  });

  it("--json prints the summary as JSON and exits 1 when any is refused", async () => {
    const { code, stdout } = await runCli([
      "send",
      "--to",
      listen.url,
      "--set",
      "payout=1e3",
      "--count",
      "3",
      "--rate",
      "50",
      "--json",
    ]);
    expect(code).toBe(exitCodes.rejected);
    const summary = JSON.parse(stdout) as { sent: number; accepted: number; statuses: Record<string, number> };
    expect(summary).toMatchObject({ sent: 3, accepted: 0, statuses: { "422": 3 } });
  });

  it("a shared secret: refused without, accepted with", async () => {
    const guarded = await startListen(["--secret", "s3cret", "--secret-param", "token"]);
    try {
      expect((await runCli(["send", "--to", guarded.url])).code).toBe(exitCodes.rejected);
      const ok = await runCli(["send", "--to", guarded.url, "--secret", "s3cret", "--secret-param", "token"]);
      expect(ok.code, ok.stdout).toBe(exitCodes.ok);
      await guarded.waitFor(/✔ accepted GET/);
      expect(guarded.stdout()).toMatch(/✖ rejected 401 GET \/notifications unauthorized/);
      expect(guarded.stdout()).not.toContain("s3cret");
    } finally {
      await guarded.stop();
    }
  });
});

describe("mock", () => {
  it("starts the real Prism, which refuses an invalid notification with 422, and stops on SIGINT", async () => {
    const port = await freePort();
    const mock = startCli(process.execPath, [
      "--import",
      "tsx",
      join(root, "src/cli/main.ts"),
      "mock",
      "--contract",
      "documented",
      "--port",
      String(port),
      "--quiet",
    ]);
    try {
      const match = await mock.waitFor(/GET (http:\/\/127\.0\.0\.1:\d+\/[^\s,]+)/, 30_000);
      const url = match[1] as string;
      expect((await fetch(`${url}?payout=5.00`)).status).toBe(200);
      expect((await fetch(`${url}?payout=5.`)).status).toBe(422);
    } finally {
      expect(await mock.stop("SIGINT")).toBe(0);
    }
  });
});
