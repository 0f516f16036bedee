/**
 * Every child process of the benchmark goes through here, so each one is killed when the run
 * ends, fails or is interrupted (SIGINT/SIGTERM), and no child outlives its time limit.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { RESULT_PREFIX } from "./child-report.js";

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

/**
 * Variables that change what every Node process does before its entry runs: a certificate bundle
 * parsed at start (NODE_EXTRA_CA_CERTS: on Node 20 this machine's adds more to `node -e 0` than the
 * rest of its start), flags or preloads (NODE_OPTIONS), a code cache, coverage (set when the smoke
 * run happens under a coverage tool). Every child starts without them, so the figures describe
 * Node and the code under test rather than one machine's settings.
 */
export const STARTUP_VARIABLES: readonly string[] = [
  "NODE_OPTIONS",
  "NODE_EXTRA_CA_CERTS",
  "NODE_COMPILE_CACHE",
  "NODE_V8_COVERAGE",
];

/** The variables of STARTUP_VARIABLES this process was given. */
export const droppedStartupVariables = (env: NodeJS.ProcessEnv = process.env): string[] =>
  STARTUP_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== "");

/** This process's environment without STARTUP_VARIABLES: what every child gets unless told otherwise. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of STARTUP_VARIABLES) delete clean[name];
  return clean;
}

/** Spawns a tracked child; its environment is `childEnv()` unless `options.env` is given. */
export function startChild(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, env: options.env ?? childEnv() });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** Kills a child and waits for it to be gone (SIGKILL after `graceMs`). */
export async function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** The last 4,000 characters. */
  readonly stderr: string;
  /** Spawn to 'exit'. */
  readonly wallMs: number;
  /** The child's `RESULT` line, parsed. */
  readonly result: unknown;
}

/**
 * `node args…` run to its end, killed after `timeoutMs`, its progress lines (stdout, but for its
 * `RESULT` line) forwarded as they come. Wall time ends at 'exit'; the result comes at 'close',
 * once the pipes have delivered everything (Node can emit 'exit' before the last output).
 */
export function runToEnd(args: readonly string[], cwd: string, timeoutMs: number, forward = false): Promise<Finished> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = startChild(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let result: unknown;
    let buffered = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      buffered += chunk;
      for (let nl = buffered.indexOf("\n"); nl !== -1; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length));
        else if (forward && line !== "") process.stdout.write(`${line}\n`);
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (c: string) => {
      stderr = (stderr + c).slice(-4_000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    let wallMs = Number.NaN;
    child.once("exit", () => {
      wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, wallMs, result });
    });
  });
}

/** Runs a bundled entry with its options as JSON, forwarding its progress, and returns its RESULT; rejects otherwise. */
export async function runEntry<T>(file: string, options: unknown, root: string, timeoutMs: number): Promise<T> {
  const run = await runToEnd([file, JSON.stringify(options)], root, timeoutMs, true);
  if (run.code === 0 && run.result !== undefined) return run.result as T;
  const why = run.signal === "SIGKILL" ? "SIGKILL (time limit)" : (run.signal ?? run.code);
  throw new Error(`${file} exited with ${why}\n${run.stderr}`);
}
