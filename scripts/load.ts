/**
 * `npm run load`: drives the project's own receiver (the CLI `listen`, in a child process on
 * 127.0.0.1, port 0) with autocannon, first at a fixed rate, then at saturation, each for a
 * bounded time. Reports req/s, p50/p99 latency, errors (socket errors, timeouts, non-2xx) and the
 * receiver's RSS sampled every 500 ms, and writes the figures to RELIABILITY.md. Exits 1 unless
 * errors are 0 and memory is flat (RSS at the end of each phase within 25 % or 32 MiB of its
 * value after warm-up). Tunables: LOAD_SECONDS (default 10), LOAD_RATE (default 500 req/s),
 * LOAD_CONNECTIONS (default 50), LOAD_OUT (default RELIABILITY.md).
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const root = fileURLToPath(new URL("../", import.meta.url));
const seconds = Number(process.env.LOAD_SECONDS ?? 10);
const rate = Number(process.env.LOAD_RATE ?? 500);
const connections = Number(process.env.LOAD_CONNECTIONS ?? 50);
const out = process.env.LOAD_OUT ?? "RELIABILITY.md";
const MiB = 1024 * 1024;

const body = JSON.stringify({
  campaign_id: "10306",
  action_id: "1000.4636.158133",
  status: "APPROVED",
  payout: "5.00",
  items: [{ sku: "APP-0016", qty: "1", amt: "719.10" }],
});
const query = "campaign_id=10306&action_id=1000.4636.158133&status=APPROVED&payout=5.00";

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
  return kb * 1024;
}

async function startReceiver() {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "listen", "--port", "0", "--json"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("listen did not start within 20 s")), 20_000);
    let buffer = "";
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      const match = buffer.match(/"url":"([^"]+)"/);
      if (match?.[1]) {
        clearTimeout(timer);
        buffer = "";
        resolve(match[1]);
      } else if (buffer.length > 64 * 1024) buffer = "";
    });
    child.once("exit", (code) => reject(new Error(`listen exited with ${code}`)));
  });
  // One log line per request: read and drop them so the pipe never blocks the receiver.
  child.stdout.removeAllListeners("data");
  child.stdout.resume();
  return { child, url };
}

interface Phase {
  name: string;
  command: string;
  result: AutocannonResult;
  rss: number[];
}

async function runPhase(name: string, pid: number, options: Record<string, unknown>, command: string): Promise<Phase> {
  const rss: number[] = [rssOf(pid)];
  const sampler = setInterval(() => rss.push(rssOf(pid)), 500);
  const result = await autocannon({ ...options, duration: seconds });
  clearInterval(sampler);
  rss.push(rssOf(pid));
  return { name, command, result, rss };
}

const fmtMiB = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

function flat(rss: number[]): { ok: boolean; warm: number; end: number; max: number } {
  // After the first 2 s (JIT, buffers) memory must not keep growing.
  const warm = rss[Math.min(4, rss.length - 1)] ?? 0;
  const end = rss[rss.length - 1] ?? 0;
  return { ok: end - warm <= Math.max(32 * MiB, warm * 0.25), warm, end, max: Math.max(...rss) };
}

async function main() {
  const { child, url } = await startReceiver();
  const pid = child.pid as number;
  const post = { method: "POST", headers: { "content-type": "application/json" }, body };
  const base = `LOAD_SECONDS=${seconds}`;
  const phases: Phase[] = [];
  try {
    const startRss = rssOf(pid);
    phases.push(
      await runPhase(
        `POST at a fixed ${rate} req/s`,
        pid,
        { url, connections: 10, overallRate: rate, ...post },
        `${base} LOAD_RATE=${rate} npm run load`,
      ),
    );
    phases.push(
      await runPhase(
        `POST at saturation (${connections} connections)`,
        pid,
        { url, connections, ...post },
        `${base} LOAD_CONNECTIONS=${connections} npm run load`,
      ),
    );
    phases.push(
      await runPhase(
        `GET at saturation (${connections} connections)`,
        pid,
        { url: `${url}?${query}`, connections },
        `${base} LOAD_CONNECTIONS=${connections} npm run load`,
      ),
    );
    const rows = phases.map((p) => {
      const m = flat(p.rss);
      const errors = p.result.errors + p.result.timeouts + p.result.non2xx;
      return {
        phase: p,
        errors,
        memory: m,
        line: `| ${p.name} | ${p.result.requests.total} | ${p.result.requests.average.toFixed(0)} | ${p.result.latency.p50} | ${p.result.latency.p99} | ${errors} | ${fmtMiB(m.warm)} → ${fmtMiB(m.end)} (max ${fmtMiB(m.max)}) | ${m.ok ? "flat" : "GROWING"} |`,
      };
    });
    const ok = rows.every((r) => r.errors === 0 && r.memory.ok);
    const report = [
      "# Reliability: load figures",
      "",
      `Measured by \`npm run load\` (scripts/load.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version},`,
      `${seconds} s per phase, against \`listen\` (the CLI receiver, one process, logging every request)`,
      `on 127.0.0.1 driven by autocannon in the same machine (2 shared cores). Receiver RSS at start: ${fmtMiB(startRss)}.`,
      "",
      "| Phase | Requests | req/s | p50 ms | p99 ms | Errors | Receiver RSS (after warm-up → end) | Memory |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
      ...rows.map((r) => r.line),
      "",
      "Errors = socket errors + timeouts + non-2xx answers. The bar: 0 errors, and RSS at the end of each",
      "phase within 25 % (or 32 MiB) of its value after 2 s of warm-up.",
      "",
      `RSS samples (MiB, every 500 ms): ${phases.map((p) => `${p.name}: ${p.rss.map((b) => (b / MiB).toFixed(0)).join(" ")}`).join("; ")}.`,
      "",
      `Result: ${ok ? "PASS" : "FAIL"}.`,
      "",
    ].join("\n");
    writeFileSync(new URL(out, `file://${root}`), report);
    process.stdout.write(`${report}\n✔ wrote ${out}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`load failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
