/**
 * Starting and stopping the servers under test, each in its own process on 127.0.0.1:
 * our bundled entries (port and stats over IPC), the CLI's `listen` and Prism (port from their
 * output or a free port, stats from /proc). Every start is bounded in time.
 */
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv, startChild, stopChild } from "./children.js";
import { freePort } from "./free-port.js";
import { procStats } from "./proc-stats.js";
import type { ServerStats } from "./serve.js";

export interface RunningServer {
  readonly name: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /**
   * CPU and RSS; for bundled entries also the young generation's size and, with `gc`, the heap in
   * use after a forced GC.
   */
  stats(options?: { gc?: boolean }): Promise<Omit<ServerStats, "type"> | undefined>;
  stop(): Promise<void>;
  /** The server's process id: Node's, also under valgrind, which runs Node inside its own process (no fork). */
  readonly pid?: number;
}

const START_TIMEOUT_MS = 60_000;

function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms / 1000} s`)), ms);
    }),
  ]);
}

function exitError(child: ChildProcess, what: string, stderr: () => string): Promise<never> {
  return new Promise((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`${what} exited (${signal ?? code}) before it was ready\n${stderr()}`)),
    ),
  );
}

function captureStderr(child: ChildProcess): () => string {
  let text = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => {
    text = (text + c).slice(-4_000);
  });
  return () => text;
}

/**
 * A bundled bench/entries/server-*.ts. `run` puts a tool in front of Node (the instruction counts
 * run it under valgrind) and adds Node flags; the tool must keep Node in its own process, with
 * its file descriptors, so the IPC channel still reaches it.
 */
export async function startEntryServer(
  name: string,
  file: string,
  root: string,
  run: {
    readonly wrapper?: readonly string[];
    readonly nodeArgs?: readonly string[];
    /** Added to the child's environment (e.g. the yardstick's `IMPACT_BENCH_BUSY_NS`). */
    readonly env?: Readonly<Record<string, string>>;
  } = {},
): Promise<RunningServer> {
  // --expose-gc only lets the memory run ask for a GC; nothing calls it otherwise.
  const nodeArgs = [...(run.nodeArgs ?? []), "--expose-gc", file];
  const [command, ...args] = [...(run.wrapper ?? []), process.execPath, ...nodeArgs] as [string, ...string[]];
  const child = startChild(command, args, {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    ...(run.env === undefined ? {} : { env: { ...childEnv(), ...run.env } }),
  });
  const stderr = captureStderr(child);
  const port = await bounded(
    Promise.race([
      new Promise<number>((resolve) =>
        child.on("message", (m: { type?: string; port?: number }) => {
          if (m.type === "ready" && m.port !== undefined) resolve(m.port);
        }),
      ),
      exitError(child, name, stderr),
    ]),
    START_TIMEOUT_MS,
    name,
  ).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  return {
    name,
    origin: `http://127.0.0.1:${port}`,
    stats: (options) =>
      new Promise((resolve) => {
        if (!child.connected) {
          resolve(undefined);
          return;
        }
        const timer = setTimeout(() => resolve(undefined), 5_000);
        const onMessage = (m: ServerStats) => {
          if (m.type !== "stats") return;
          clearTimeout(timer);
          child.off("message", onMessage);
          const { type: _, ...stats } = m;
          resolve(stats);
        };
        child.on("message", onMessage);
        child.send({ type: "stats", gc: options?.gc === true });
      }),
    stop: () => stopChild(child),
    ...(child.pid === undefined ? {} : { pid: child.pid }),
  };
}

async function answers(origin: string): Promise<boolean> {
  try {
    const response = await fetch(origin, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/**
 * A process that logs to stdout (Prism, `listen`): its log goes to a file, as a service's would,
 * rather than through a pipe the load generator in this process would have to drain.
 */
async function startLoggingServer(
  name: string,
  args: readonly string[],
  root: string,
  originFromLog: (log: string) => string | undefined,
): Promise<RunningServer> {
  const logFile = join(tmpdir(), `impact-bench-${process.pid}-${name.replace(/\W+/g, "-")}.log`);
  const fd = openSync(logFile, "w");
  const child = startChild(process.execPath, args, { cwd: root, stdio: ["ignore", fd, "pipe"] });
  closeSync(fd);
  const stderr = captureStderr(child);
  const cleanup = async () => {
    await stopChild(child);
    rmSync(logFile, { force: true });
  };
  const ready = async (): Promise<string> => {
    for (;;) {
      const origin = originFromLog(readFileSync(logFile, "utf8"));
      if (origin !== undefined && (await answers(origin))) return origin;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  let origin: string;
  try {
    origin = await bounded(Promise.race([ready(), exitError(child, name, stderr)]), START_TIMEOUT_MS, name);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const pid = child.pid;
  return {
    name,
    origin,
    stats: async () => (pid === undefined ? undefined : procStats(pid)),
    stop: cleanup,
  };
}

/** The CLI's `listen` command, bundled like the package's bin (dist/cli.js). */
export function startListen(
  name: string,
  cliFile: string,
  root: string,
  path: string,
  nodeArgs: readonly string[] = [],
): Promise<RunningServer> {
  return startLoggingServer(name, [...nodeArgs, cliFile, "listen", "--port", "0", "--path", path], root, (log) => {
    const url = /http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
    return url === null ? undefined : `http://127.0.0.1:${url[1]}`;
  });
}

/** Prism's mock on the bundled contract (request validation is its default). */
export async function startPrism(name: string, root: string, nodeArgs: readonly string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const manifest = JSON.parse(readFileSync(join(root, "node_modules/@stoplight/prism-cli/package.json"), "utf8")) as {
    bin: { prism: string };
  };
  const bin = join(root, "node_modules/@stoplight/prism-cli", manifest.bin.prism);
  const args = [...nodeArgs, bin, "mock", "-h", "127.0.0.1", "-p", String(port), "generated/documented/openapi.json"];
  return startLoggingServer(name, args, root, () => `http://127.0.0.1:${port}`);
}
