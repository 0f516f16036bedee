/**
 * Graceful shutdown of the `listen` command (issue 7), as a user runs it: a child process on
 * 127.0.0.1, port 0, stopped with SIGTERM. A request in flight when the signal arrives must
 * finish with its real answer; new connections must be refused cleanly (the port is closed, so
 * impact.com gets a connection error and retries), and the process must exit 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { exitedAndDrained } from "../cli/cli-process.js";
import { halfSentPost, openRequest, until } from "./in-flight.js";
import { rawRequest, requestHead } from "./raw-http.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
});

function startListen(): Promise<{ port: number; stderr: () => string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "listen", "--port", "0", "--json"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let stdout = "";
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = exitedAndDrained(proc);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`listen did not start: ${stderr}`)), 20_000);
    proc.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      const match = stdout.match(/"url":"http:\/\/127\.0\.0\.1:(\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({ port: Number(match[1]), stderr: () => stderr, exited });
      }
    });
  });
}

/** Sends the signal, then waits until listen says it is stopping with that one request in flight. */
async function stopWithOneInFlight(stderr: () => string, signal: NodeJS.Signals = "SIGTERM") {
  child?.kill(signal);
  await until(() => /stopping, 1 request\(s\) in flight/.test(stderr()), 10_000);
}

test("SIGTERM: the in-flight request finishes with 200, new connections are refused, exit code 0", async () => {
  const { port, stderr, exited } = await startListen();
  // In flight: the head and half the body are sent before the signal; the rest after it.
  const request = await halfSentPost(port);
  await stopWithOneInFlight(stderr);

  // New connections are refused cleanly: the listening socket is closed, nothing half-answers.
  const refused = await new Promise<string>((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
  expect(refused).toBe("ECONNREFUSED");
  expect(child?.exitCode).toBeNull();

  // The in-flight request completes with its real verdict.
  const answer = await request.finish();
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  expect(answer).toContain('{"ok":true}');
  expect(await exited).toBe(0);
  expect(stderr()).toContain("Stopped.");
});

test("a signal repeated at once (a Ctrl-C reaches npm and node, and npm forwards it to node) neither kills listen nor cuts the request in flight", async () => {
  const { port, stderr, exited } = await startListen();
  const request = await halfSentPost(port);
  await stopWithOneInFlight(stderr);
  child?.kill("SIGTERM");
  child?.kill("SIGINT");
  await new Promise((r) => setTimeout(r, 200));
  expect(child?.exitCode).toBeNull();
  expect(await request.finish()).toMatch(/^HTTP\/1\.1 200 /);
  expect(await exited).toBe(0);
  expect(stderr()).toContain("Stopped.");
});

test("a second Ctrl-C, later than an echo, cuts the wait short: the in-flight request is closed unanswered (impact.com retries it)", async () => {
  const { port, stderr, exited } = await startListen();
  const request = openRequest(
    port,
    `${requestHead("POST", "/notifications", { "content-type": "application/json", "content-length": "100" })}{`,
  );
  await new Promise((r) => setTimeout(r, 300));
  await stopWithOneInFlight(stderr, "SIGINT");
  await new Promise((r) => setTimeout(r, 1_300));
  const start = Date.now();
  child?.kill("SIGINT");
  expect(await request.response).toBe("");
  expect(await exited).toBe(0);
  expect(Date.now() - start).toBeLessThan(5_000);
});

test("SIGTERM with nothing in flight: exits 0 at once", async () => {
  const { port, exited } = await startListen();
  const answer = await rawRequest(port, requestHead("GET", "/notifications?payout=1.00"));
  expect(answer.status).toBe(200);
  const start = Date.now();
  child?.kill("SIGTERM");
  expect(await exited).toBe(0);
  expect(Date.now() - start).toBeLessThan(5000);
});
