/**
 * README example: the quick start, run as written. `npm start` (with `-- --port 0` added so
 * parallel runs never collide), then each `send` line of the README's quick-start block with its
 * URL replaced by the one `listen` printed. `listen` must print the first as accepted and the
 * second as rejected with its reason; SIGTERM must then stop it cleanly.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitedAndDrained, root } from "./cli-process.js";

const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Quick start"),
  readme.indexOf("\n## ", readme.indexOf("## Quick start") + 3),
);
const block = section.slice(section.indexOf("```sh") + 5, section.indexOf("```", section.indexOf("```sh") + 5));
const lines = block.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
const README_URL = "http://127.0.0.1:3000/notifications";

function run(command: string, args: readonly string[], detached = false) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = exitedAndDrained(child);
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

async function until(check: () => boolean, what: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("README quick start", () => {
  let start: ReturnType<typeof run>;
  let url = "";

  beforeAll(async () => {
    expect(lines[0]).toBe("npm install && npm start");
    // npm → node (the script execs it): its own process group, so stopping it stops every child.
    start = run("npm", ["start", "--silent", "--", "--port", "0"], true);
    await until(
      () => /Listening on (\S+)/.test(start.stdout()),
      () => `npm start printed: ${start.stdout()} ${start.stderr()}`,
    );
    url = (start.stdout().match(/Listening on (\S+)/) as RegExpMatchArray)[1] as string;
  });

  afterAll(async () => {
    if (start?.child.pid !== undefined && start.child.exitCode === null) {
      try {
        process.kill(-start.child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  });

  it("shows two send commands against the quick-start URL", () => {
    const sends = lines.filter((l) => l.startsWith("npm run cli -- send "));
    expect(sends).toHaveLength(2);
    for (const line of sends) expect(line).toContain(`--to ${README_URL}`);
  });

  it("delivers a valid notification that listen prints as accepted, and an invalid one it prints as rejected with the reason", async () => {
    const [valid, invalid] = lines
      .filter((l) => l.startsWith("npm run cli -- send "))
      .map((l) => l.replace(README_URL, url).split(" ").slice(1));

    const first = run("npm", ["--silent", ...(valid as string[])]);
    expect(await first.exited, first.stderr()).toBe(0);
    expect(first.stdout()).toMatch(/✔ GET .* → 200/);
    await until(
      () =>
        /✔ accepted GET \/notifications campaign_id=\d+ action_id=\d+(\.\d+)+ status=\w+ payout=\d+\.\d{2}/.test(
          start.stdout(),
        ),
      () => start.stdout(),
    );

    const second = run("npm", ["--silent", ...(invalid as string[])]);
    expect(await second.exited, "send exits 1 when the receiver refuses").toBe(1);
    expect(second.stdout()).toMatch(/✖ GET .* → 422 invalid_notification: \/payout must be a decimal string/);
    await until(
      () =>
        /✖ rejected 422 GET \/notifications invalid_notification: \/payout must be a decimal string/.test(
          start.stdout(),
        ),
      () => start.stdout(),
    );
  });

  it("stops gracefully on SIGTERM", async () => {
    process.kill(-(start.child.pid as number), "SIGTERM");
    await start.exited;
    expect(start.stderr()).toContain("Stopped.");
  });
});
