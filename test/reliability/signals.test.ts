/**
 * SIGTERM and SIGINT sent to the pid a user starts stop the whole receiver gracefully, whatever
 * sits between that pid and the receiver: `npm start`, `npm run cli -- listen` and the installed
 * CLI's bin (`node dist/cli.js listen`). This is how a container runtime or a process manager
 * stops its PID 1, and unlike a terminal's Ctrl-C it reaches that one process only, not its
 * process group: npm forwards both signals to its script's process (@npmcli/run-script's
 * signal-manager), so the script must be that process and not a shell waiting for it.
 *
 * For each: a POST is held in flight (head and half its body sent), the signal goes to the pid,
 * and then the in-flight request must be answered 200, the pid must exit 0, and no process of
 * the tree seen before the signal may still run (an orphaned receiver would keep answering).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { exitedAndDrained, root } from "../cli/cli-process.js";
import { halfSentPost, until } from "./in-flight.js";
import { isRunning, processTree, type TreeProcess } from "./process-tree.js";

/** Bounds: npm plus tsx take a few seconds to start; a graceful stop takes well under a second. */
const START_MS = 20_000;
const STOP_MS = 10_000;

const started: { child: ChildProcess; tree: TreeProcess[] }[] = [];

afterEach(() => {
  // Whatever a failed run left behind, by pid (and start time): the tree seen before the signal.
  for (const { child, tree } of started.splice(0)) {
    for (const p of tree) {
      if (isRunning(p)) process.kill(p.pid, "SIGKILL");
    }
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

const entries = [
  { name: "npm start", command: "npm", args: ["start", "--", "--port", "0"] },
  { name: "npm run cli -- listen", command: "npm", args: ["run", "cli", "--", "listen", "--port", "0"] },
  { name: "node dist/cli.js listen", command: process.execPath, args: ["dist/cli.js", "listen", "--port", "0"] },
] as const;

const bounded = <T, U>(promise: Promise<T>, ms: number, otherwise: U) =>
  Promise.race([promise, new Promise<U>((resolve) => setTimeout(() => resolve(otherwise), ms))]);

const cases = entries.flatMap((entry) => (["SIGTERM", "SIGINT"] as const).map((signal) => ({ ...entry, signal })));

for (const { name, command, args, signal } of cases) {
  test(`${signal} to the pid of \`${name}\`: the in-flight request is answered 200, every process of the tree exits, exit code 0`, async () => {
    if (command === process.execPath && !existsSync(join(root, "dist", "cli.js"))) {
      throw new Error("dist/cli.js is missing: run `npm run build` (npm test does)");
    }
    // Its own process group (detached), as under a process manager: nothing else, in particular
    // no terminal, signals it.
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const entry = { child, tree: [] as TreeProcess[] };
    started.push(entry);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = exitedAndDrained(child);
    await until(
      () => /Listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout) || child.exitCode !== null,
      START_MS,
      () => `${command} ${args.join(" ")} did not start: ${stdout} ${stderr}`,
    );
    const port = Number(stdout.match(/Listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1]);
    expect(port, stderr).toBeGreaterThan(0);

    const request = await halfSentPost(port);
    entry.tree = processTree(child.pid as number);
    process.kill(child.pid as number, signal);
    // The receiver says it is stopping with the request in flight, or (the failure this test is
    // for) the pid is gone without the receiver having heard of it.
    await until(
      () => /stopping, 1 request\(s\) in flight/.test(stderr) || child.exitCode !== null || child.signalCode !== null,
      STOP_MS,
    ).catch(() => undefined);
    const answer = await bounded(request.finish(), STOP_MS, "(no answer in time)");
    const code = await bounded(exited, STOP_MS, "still running");
    const running = entry.tree.filter(isRunning).map((p) => `${p.pid} ${p.command}`);

    expect({
      answer: answer.split("\r\n")[0],
      exit: code === null ? `killed by ${child.signalCode}` : code,
      running,
      stopping: stderr.match(/stopping, \d+ request\(s\) in flight/)?.[0],
      stopped: /Stopped\./.test(stderr),
    }).toEqual({
      answer: "HTTP/1.1 200 OK",
      exit: 0,
      running: [],
      stopping: "stopping, 1 request(s) in flight",
      stopped: true,
    });
  });
}
