/**
 * Every child process of the benchmark goes through here, so each one is killed when the run
 * ends, fails or is interrupted (SIGINT/SIGTERM), and no child outlives its time limit.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { RESULT_PREFIX } from "./child-report.js";

const live = new Set<ChildProcess>();

function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/**
 * Variables that change what every Node process does before the first line of its entry runs:
 * a certificate bundle read and parsed at start (NODE_EXTRA_CA_CERTS: on Node 20 the bundle this
 * machine names adds more to `node -e 0` than the rest of its start), flags or preloaded modules (NODE_OPTIONS),
 * an on-disk code cache (NODE_COMPILE_CACHE), coverage collection (NODE_V8_COVERAGE, set when the
 * smoke run happens under a coverage tool). Every child starts without them, so the figures
 * describe Node and the code under test rather than one machine's settings.
 */
export const STARTUP_VARIABLES: readonly string[] = [
  "NODE_OPTIONS",
  "NODE_EXTRA_CA_CERTS",
  "NODE_COMPILE_CACHE",
  "NODE_V8_COVERAGE",
];

/** The variables of STARTUP_VARIABLES this process was given (so its children start without them). */
export function droppedStartupVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  return STARTUP_VARIABLES.filter((name) => env[name] !== undefined && env[name] !== "");
}

/** This process's environment without STARTUP_VARIABLES: what every child gets unless told otherwise. */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of STARTUP_VARIABLES) delete clean[name];
  return clean;
}

/** Spawns a tracked child; its environment is `childEnv()` unless `options.env` is given. */
export function startChild(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return track(spawn(command, args, { ...options, env: options.env ?? childEnv() }));
}

/** Kills a child and waits for it to be gone (bounded). */
export async function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  /** The last `stderrTail` characters. */
  readonly stderr: string;
  /** Spawn to 'exit'. */
  readonly wallMs: number;
}

/**
 * Runs a tracked child to its end, killed after `timeoutMs`. Wall time ends at 'exit'; the result
 * comes at 'close', once the pipes have delivered everything: Node can emit 'exit' before the last
 * output (a cold start's report, callgrind's summary; seen on Node 24).
 */
export function runToEnd(
  command: string,
  args: readonly string[],
  options: {
    readonly cwd: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly timeoutMs: number;
    readonly stderrTail?: number;
  },
): Promise<Finished> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = startChild(command, args, {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    let stdout = "";
    let stderr = "";
    const tail = options.stderrTail ?? 4_000;
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr?.setEncoding("utf8").on("data", (c: string) => {
      stderr = (stderr + c).slice(-tail);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    let wallMs = Number.NaN;
    child.once("exit", () => {
      wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs });
    });
  });
}

/**
 * Runs a bundled entry with `node`, forwarding its progress lines, and returns its RESULT.
 * Rejects on a non-zero exit or when it runs past `timeoutMs`.
 */
export function runEntry<T>(file: string, options: unknown, root: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = startChild(process.execPath, [file, JSON.stringify(options)], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let result: T | undefined;
    let stderr = "";
    let buffered = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      let nl = buffered.indexOf("\n");
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
        else if (line !== "") process.stdout.write(`${line}\n`);
        nl = buffered.indexOf("\n");
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-4_000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    // "close", not "exit": exit can come before the pipe delivers the RESULT line (seen on Node 24).
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result !== undefined) resolve(result);
      else
        reject(
          new Error(`${file} exited with ${signal ?? code}${signal === "SIGKILL" ? " (time limit)" : ""}\n${stderr}`),
        );
    });
  });
}
