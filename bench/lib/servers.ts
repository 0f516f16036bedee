/**
 * Starting and stopping the servers under test, each in its own process on 127.0.0.1: our
 * bundled entries (port and stats over IPC) and Prism (a free port). Every start is bounded in time.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { childEnv, startChild, stopChild } from "./children.js";
import type { ServerStats } from "./serve.js";

export interface RunningServer {
  readonly name: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /**
   * CPU and RSS, an inbox's counters; with `gc` (a server started with `--expose-gc`) the heap in
   * use after a forced GC. Undefined for Prism.
   */
  stats(options?: { gc?: boolean }): Promise<Omit<ServerStats, "type"> | undefined>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** `ready` raced against the child's exit and START_TIMEOUT_MS; the child is stopped when it loses. */
async function started<T>(child: ChildProcess, name: string, ready: Promise<T>): Promise<T> {
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => {
    stderr = (stderr + c).slice(-4_000);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        child.once("exit", (code, signal) =>
          reject(new Error(`${name} exited (${signal ?? code}) before it was ready\n${stderr}`)),
        );
        timer = setTimeout(
          () => reject(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`)),
          START_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    await stopChild(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** A bundled bench/entries/server-*.ts, with Node flags and variables added to its environment. */
export async function startEntryServer(
  name: string,
  file: string,
  root: string,
  run: { readonly nodeArgs?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<RunningServer> {
  const child = startChild(process.execPath, [...(run.nodeArgs ?? []), file], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    ...(run.env === undefined ? {} : { env: { ...childEnv(), ...run.env } }),
  });
  const ready = new Promise<number>((resolve) =>
    child.on("message", (m: { type?: string; port?: number }) => {
      if (m.type === "ready" && m.port !== undefined) resolve(m.port);
    }),
  );
  const port = await started(child, name, ready);
  const stats = (options?: { gc?: boolean }) =>
    new Promise<Omit<ServerStats, "type"> | undefined>((resolve) => {
      if (!child.connected) return resolve(undefined);
      const timer = setTimeout(() => resolve(undefined), 5_000);
      const onMessage = ({ type, ...m }: ServerStats) => {
        if (type !== "stats") return;
        clearTimeout(timer);
        child.off("message", onMessage);
        resolve(m);
      };
      child.on("message", onMessage);
      child.send({ type: "stats", gc: options?.gc === true });
    });
  return { name, origin: `http://127.0.0.1:${port}`, stats, stop: () => stopChild(child) };
}

/** A port free on 127.0.0.1 a moment ago, for a server that cannot be told port 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** Prism's mock on the bundled contract (request validation is its default), its log dropped. */
export async function startPrism(name: string, root: string, nodeArgs: readonly string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = join(root, "node_modules/@stoplight/prism-cli");
  const bin = join(
    dir,
    (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { bin: { prism: string } }).bin.prism,
  );
  const args = [...nodeArgs, bin, "mock", "-h", "127.0.0.1", "-p", String(port), "generated/documented/openapi.json"];
  const child = startChild(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const answers = () =>
    fetch(origin, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.body?.cancel().then(() => true) ?? true,
      () => false,
    );
  let waiting = true;
  const ready = (async () => {
    while (waiting && !(await answers())) await new Promise((r) => setTimeout(r, 100));
  })();
  await started(child, name, ready).finally(() => {
    waiting = false;
  });
  return { name, origin, stats: async () => undefined, stop: () => stopChild(child) };
}
