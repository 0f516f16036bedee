/**
 * `validate big.log | head -1`: the reader closes the pipe after one line. The CLI must end
 * quietly (exit 0, nothing on stderr), never with an EPIPE stack trace. Real processes and a real
 * pipe: the test reads the first line of the CLI's stdout, then destroys its end of the pipe.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { root } from "./cli-process.js";

const dir = mkdtempSync(join(tmpdir(), "closed-stdout-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each([
  ["the source (tsx)", ["--import", "tsx", join(root, "src/cli/main.ts")]],
  ["the build (dist/cli.js)", [join(root, "dist/cli.js")]],
])(
  "validate … | head -1 ends quietly, from %s",
  async (_, command) => {
    const log = join(dir, "big.log");
    // Enough lines that the CLI is still writing when the reader goes away.
    writeFileSync(log, "/impact?payout=5.00&status=APPROVED\n".repeat(200_000));
    const child = spawn(process.execPath, [...command, "validate", log], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      let seen = "";
      child.stdout.on("data", (c: Buffer) => {
        seen += c.toString();
        if (seen.includes("\n")) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const code = await exited;
    clearTimeout(timer);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  },
  30_000,
);
