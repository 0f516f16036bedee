/**
 * Starts the real Prism mock (@stoplight/prism-cli, pinned in package.json) on a bundled contract,
 * waits until it answers HTTP, and hands back a `stop()` that always ends it.
 *
 * Prism runs as `node <prism-cli>/dist/index.js mock -h 127.0.0.1 -p PORT generated/<c>/openapi.json`,
 * which is what `npx prism mock …` runs, minus the npx wrapper process: the child we spawn is
 * Prism itself, so stopping it by its pid stops everything. Request validation is Prism's
 * default: an invalid request gets 422 (the contract documents no 422, so Prism makes one up;
 * `--errors` is not needed for that, it only adds response validation).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";
import { freePort } from "./free-port.js";
import { contractDocumentPath } from "./package-root.js";

export interface RunningPrism {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly contract: string;
  readonly process: ChildProcess;
  /** The last lines Prism printed (for error messages). */
  output(): string;
  /** Stops Prism (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPrismOptions {
  readonly contract?: string;
  /** The bundled OpenAPI document to mock; default: the built-in `contract`'s. */
  readonly document?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** Give up after this long. Prism needs ~2–10 s to start. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Pass Prism's own log lines through (the `mock` command does; tests do not). */
  readonly onOutput?: (chunk: string) => void;
}

const MAX_OUTPUT = 8 * 1024;

/** Prism as installed beside this package, or in the project the CLI runs in. */
function prismBin(): string {
  let manifest: string | undefined;
  for (const from of [import.meta.url, join(process.cwd(), "package.json")]) {
    try {
      manifest = createRequire(from).resolve("@stoplight/prism-cli/package.json");
      break;
    } catch {
      // Not there: try the next place.
    }
  }
  if (manifest === undefined) {
    throw new CliError(
      "Prism is not installed. Install it in your project with `npm install -D @stoplight/prism-cli@5.14.2` (Node 20 and 22; 5.15 and later need Node 24).",
      exitCodes.environment,
    );
  }
  const bin = (JSON.parse(readFileSync(manifest, "utf8")) as { bin: { prism: string } }).bin.prism;
  return join(dirname(manifest), bin);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once("exit", () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited(child);
  clearTimeout(killer);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function startOnce(file: string, contract: string, port: number, options: StartPrismOptions) {
  const child = spawn(process.execPath, [prismBin(), "mock", "-h", "127.0.0.1", "-p", String(port), file], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output = (output + text).slice(-MAX_OUTPUT);
    options.onOutput?.(text);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  const running: RunningPrism = {
    url,
    port,
    contract,
    process: child,
    output: () => output,
    stop: () => stopChild(child),
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return { running, failed: true };
    // Prism prints "Prism is listening" once bound; the HTTP probe proves it really answers.
    if (output.includes("listening") && (await answers(url))) return { running, failed: false };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await running.stop();
  throw new CliError(
    `Prism did not answer on ${url} within ${options.timeoutMs ?? 30_000} ms. Its last output: ${output.trim().split("\n").at(-1) ?? "(none)"}`,
    exitCodes.environment,
  );
}

/** Refusal ranges the bundled documents declare for the receiver (src/codegen/receiver-responses.ts). */
const RECEIVER_REFUSALS = ["4XX", "5XX"];

/**
 * The document Prism mocks: the bundled one without the receiver's 4XX/5XX refusals. With them
 * declared, Prism answers every invalid request with a static example of that range's schema
 * (a 400 saying nothing), instead of its 422 listing the fields that failed, which is what a mock
 * of a receiver is for. Written next to the system's temporary files; removed on stop.
 */
function mockDocument(file: string): { path: string; remove: () => void } {
  const document = JSON.parse(readFileSync(file, "utf8")) as { paths?: Record<string, Record<string, unknown>> };
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, unknown> } | null)?.responses;
      if (responses !== undefined) for (const range of RECEIVER_REFUSALS) delete responses[range];
    }
  }
  const dir = mkdtempSync(join(tmpdir(), "impact-prism-"));
  const path = join(dir, "openapi.json");
  writeFileSync(path, JSON.stringify(document));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startPrism(options: StartPrismOptions = {}): Promise<RunningPrism> {
  const contract = options.contract ?? "documented";
  const mocked = mockDocument(options.document ?? contractDocumentPath(contract));
  try {
    const running = await startOnPort(mocked.path, contract, options);
    const stop = running.stop;
    return { ...running, stop: () => stop().finally(mocked.remove) };
  } catch (error) {
    mocked.remove();
    throw error;
  }
}

async function startOnPort(file: string, contract: string, options: StartPrismOptions): Promise<RunningPrism> {
  // A free port can be taken between the probe and Prism's bind: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    const { running, failed } = await startOnce(file, contract, port, options);
    if (!failed) return running;
    if (options.port !== undefined || !running.output().includes("EADDRINUSE")) {
      const last = running.output().trim().split("\n").at(-1) ?? "(no output)";
      throw new CliError(
        running.output().includes("EADDRINUSE")
          ? `Port ${port} is in use. Pass another with --port, or stop what is listening there.`
          : `Prism exited before it answered: ${last}`,
        exitCodes.environment,
      );
    }
  }
  throw new CliError(
    "Could not find a free port for Prism after 3 tries. Pass one with --port.",
    exitCodes.environment,
  );
}
