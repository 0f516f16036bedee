/**
 * Runs the real CLI (src/cli/main.ts through tsx, as `npm start` does) in a child process.
 * Servers it starts listen on 127.0.0.1 port 0; every child is stopped by its pid in afterAll.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { pathToFileURL } from "node:url";

export const root = join(import.meta.dirname, "..", "..");
const main = join(root, "src", "cli", "main.ts");
/** tsx's loader by path (the file `--import tsx` resolves to), so the CLI starts from any `cwd`. */
const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;

/** How long output may still arrive after the child exited (a grandchild may hold its pipes open). */
const DRAIN_MS = 2_000;

function ended(stream: Readable | null): Promise<void> {
  return new Promise((resolve) => {
    if (stream === null || stream.readableEnded || stream.destroyed) resolve();
    else stream.once("end", resolve).once("close", resolve);
  });
}

/**
 * The child's exit code, once its stdout and stderr have delivered everything. Node may emit
 * 'exit' before the pipes' last data (a CI run lost "Stopped." that way); 'close' would wait for
 * that, but also for any grandchild (Prism) still holding the pipes, so the wait is bounded.
 */
export function exitedAndDrained(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      let timer: NodeJS.Timeout | undefined;
      void Promise.race([
        Promise.all([ended(child.stdout), ended(child.stderr)]),
        new Promise((r) => {
          timer = setTimeout(r, DRAIN_MS);
        }),
      ]).then(() => {
        clearTimeout(timer);
        resolve(code);
      });
    }),
  );
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunCliOptions {
  readonly stdin?: string;
  /** Default 20 000 ms. */
  readonly timeoutMs?: number;
  /** The working directory; default the repository root. */
  readonly cwd?: string;
}

/** Runs a CLI command to its end (bounded by `timeoutMs`). */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", tsx, main, ...args], {
      cwd: options.cwd ?? root,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`CLI ${args.join(" ")} did not finish in time. stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    void exitedAndDrained(child).then((code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches (bounded by `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts a long-running command (`listen`, `mock`, or `npm start`). */
export function startCli(command: string, args: readonly string[]): RunningCli {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = exitedAndDrained(child);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = out.match(pattern);
        if (match !== null) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`No ${pattern} in stdout. stdout: ${out} stderr: ${err}`);
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        const code = await exited;
        clearTimeout(killer);
        return code;
      }
      return exited;
    },
  };
}

/** `listen` from source on a free port; resolves once it printed its URL. */
export async function startListen(args: readonly string[] = []): Promise<RunningCli & { url: string }> {
  const running = startCli(process.execPath, ["--import", tsx, main, "listen", "--port", "0", ...args]);
  const match = await running.waitFor(/(http:\/\/127\.0\.0\.1:\d+\/[^\s"]*)/);
  return Object.assign(running, { url: match[1] as string });
}
