/**
 * Starts test/reliability/child-receiver.ts in a child process (through tsx, on 127.0.0.1 port 0)
 * and talks to it over IPC. Every wait is bounded; `stop` kills the child by its pid.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildAdapter, MemoryReport } from "./child-receiver.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface ChildReceiver {
  readonly port: number;
  /** The receiver's memory after a forced GC (start it with `--expose-gc`). */
  measure(): Promise<MemoryReport>;
  alive(): boolean;
  stop(): void;
}

export function spawnReceiver(
  adapter: ChildAdapter,
  { secret, nodeFlags = [] }: { secret?: string; nodeFlags?: readonly string[] } = {},
): Promise<ChildReceiver> {
  const proc = spawn(
    process.execPath,
    [...nodeFlags, "--import", "tsx", "test/reliability/child-receiver.ts", adapter, ...(secret ? [secret] : [])],
    { cwd: root, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const pending: { answer: (report: MemoryReport) => void; fail: (error: Error) => void }[] = [];
  let exited: Error | undefined;
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error("child receiver did not start within 20 s"));
    }, 20_000);
    proc.once("exit", (code, signal) => {
      exited = new Error(`child receiver exited (code ${code}, signal ${signal})`);
      clearTimeout(timer);
      reject(exited);
      for (const p of pending.splice(0)) p.fail(exited);
    });
    proc.on("message", (message: { port?: number } & MemoryReport) => {
      if (message.port === undefined) {
        pending.shift()?.answer(message);
        return;
      }
      clearTimeout(timer);
      resolve({
        port: message.port,
        alive: () => exited === undefined,
        stop,
        measure: () =>
          new Promise((answer, fail) => {
            if (exited !== undefined) return fail(exited);
            const timeout = setTimeout(() => fail(new Error("no memory report within 10 s")), 10_000);
            pending.push({
              answer: (report) => {
                clearTimeout(timeout);
                answer(report);
              },
              fail,
            });
            proc.send("measure");
          }),
      });
    });
  });
}
