/**
 * Instructions: what a cold start and a request cost, counted by valgrind's callgrind instead of
 * timed. A whole start, with address-space randomisation off (`setarch -R`) and V8's random seed
 * fixed (`--random-seed=1`), counts the same to within about 0.01% run after run here, whatever
 * else the machine was doing, where time moves by tens of percent (bare node:http ranged
 * 9,210–26,068 req/s within one run). A count per request is less steady (see `SETTLED`).
 * Instructions are not time: a cache miss costs more than an add, and under callgrind a process
 * runs far slower (a cold start ~8 s instead of ~45 ms), so timers and JIT tiering fall at other
 * moments. These tables explain the targets' figures; they do not replace them.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runToEnd } from "../lib/children.js";
import { fmt, fmtRatio, fmtSigned, table } from "../lib/format.js";
import { validRequest } from "../lib/inputs.js";
import { load } from "../lib/load.js";
import type { Mode } from "../lib/modes.js";
import { elapsed, progress } from "../lib/progress.js";
import type { Section, SuiteContext } from "../lib/section.js";
import { startEntryServer } from "../lib/servers.js";

type Method = "GET" | "POST";

/** `setarch -R` when this machine has it (without it and `--random-seed`, a start's count moved by about ±1% here). */
function wrapperOf(): readonly string[] | undefined {
  const valgrind = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
  if (valgrind.status !== 0) return undefined;
  const setarch = spawnSync("setarch", ["-R", "true"]);
  return setarch.status === 0 ? ["setarch", "-R", "valgrind"] : ["valgrind"];
}

/** V8's seed for its random number generator; left to the system, a start's count varied from run to run. */
const NODE_ARGS = ["--random-seed=1"];

/** Instructions of one whole `node` run, from callgrind's closing summary. */
export function collected(stderr: string): number | undefined {
  const match = /Collected : (\d+)/.exec(stderr);
  return match === null ? undefined : Number(match[1]);
}

/** Instructions in one callgrind dump (its `totals:` line, or `summary:` in older files). */
export function dumpTotal(text: string): number | undefined {
  const match = /^(?:totals|summary): (\d+)/m.exec(text);
  return match === null ? undefined : Number(match[1]);
}

async function countRun(wrapper: readonly string[], args: readonly string[], root: string): Promise<number> {
  const [command, ...rest] = [
    ...wrapper,
    "--tool=callgrind",
    "--callgrind-out-file=/dev/null",
    process.execPath,
    ...NODE_ARGS,
    ...args,
  ] as [string, ...string[]];
  // callgrind's summary is the last thing on stderr.
  const run = await runToEnd(command, rest, { cwd: root, timeoutMs: 120_000, stderrTail: 8_000 });
  const count = collected(run.stderr);
  if (run.code !== 0 || count === undefined) {
    throw new Error(`callgrind on ${args.join(" ")} exited with ${run.code}:\n${run.stderr.slice(-1_000)}`);
  }
  return count;
}

/** Runs the tasks two at a time (this machine has 2 cores; each callgrind run is one thread's work). */
async function inPairs<T>(tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

/** No request under callgrind should take this long: only bounds a hung server. */
const LOAD_BOUND_S = 300;

/**
 * `n` valid requests by the benchmark's load generator (autocannon in a fresh process, as in the
 * timed parts), every one answered 2xx; how many were answered.
 */
async function send(ctx: SuiteContext, origin: string, method: Method, n: number): Promise<number> {
  const result = await load(ctx.entries, ctx.root, {
    ...validRequest(origin, method),
    connections: ctx.mode.http.connections,
    durationS: LOAD_BOUND_S,
    amount: n,
  });
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(`${method} ${origin}: ${result.non2xx} non-2xx, ${result.errors} errors of ${result.requests}`);
  }
  return result.requests;
}

function callgrindControl(flag: "-z" | "-d", pid: number): void {
  const done = spawnSync("callgrind_control", [flag, String(pid)], { encoding: "utf8", timeout: 60_000 });
  if (done.status !== 0) throw new Error(`callgrind_control ${flag} ${pid} failed: ${done.stderr}`);
}

/** Callgrind's `n`th dump in `dir` (`cg.out.n`), once it holds its totals. */
async function readDump(dir: string, n: number): Promise<number> {
  const file = join(dir, `cg.out.${n}`);
  for (let tries = 0; tries < 150; tries++) {
    try {
      const total = dumpTotal(readFileSync(file, "utf8"));
      if (total !== undefined) return total;
    } catch {
      // Not written yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`callgrind wrote no ${file}`);
}

interface RequestCounts {
  readonly warmup: number;
  /** Requests per counted block. */
  readonly block: number;
  /** Blocks counted at most, until two in a row agree within `settled`. */
  readonly maxBlocks: number;
}

/**
 * Two blocks in a row within 3% of each other: the process has settled. Per request the count
 * is not as repeatable as a whole start: blocks of 2,000 POSTs to bare node:http read 72.2, 69.2
 * and 68.6 thousand in a row (why is not established; garbage collections falling in one block
 * or the next would do it).
 */
const SETTLED = 0.03;

export interface RequestCount {
  /** Instructions per request in the last block. */
  readonly perRequest: number;
  /** Every block's instructions per request, in order. */
  readonly blocks: readonly number[];
  readonly settled: boolean;
}

/** The last block, settled when it is within SETTLED of the one before. */
export function settle(blocks: readonly number[]): RequestCount {
  const last = blocks.at(-1) ?? Number.NaN;
  const before = blocks.at(-2);
  return {
    perRequest: last,
    blocks,
    settled: before !== undefined && Math.abs(last - before) <= SETTLED * last,
  };
}

/**
 * Instructions per request of one server: warm-up, then blocks of requests, each counted from
 * zeroed counters to a dump, until two blocks in a row agree. The first two blocks after the
 * warm-up counted 1.8–4.5× the later ones, whatever the warm-up: blocks of 2,000 POSTs to bare
 * node:http read 313k, 132k, 72k, 69k after 2,000 requests of warm-up, 275k, 164k, 71k, 69k
 * after 4,000 and 271k, 161k, 65k after 8,000 (why is not established; a longer warm-up did not
 * shorten it). So the warm-up is short and up to 5 blocks are counted. Everything
 * the process did meanwhile counts, its compiler threads too; the kernel's part of each request
 * does not (callgrind sees user space only).
 */
async function perRequest(
  ctx: SuiteContext,
  wrapper: readonly string[],
  name: string,
  file: string,
  method: Method,
  counts: RequestCounts,
): Promise<RequestCount> {
  const dir = mkdtempSync(join(tmpdir(), "impact-bench-callgrind-"));
  const server = await startEntryServer(name, file, ctx.root, {
    wrapper: [...wrapper, "--tool=callgrind", `--callgrind-out-file=${join(dir, "cg.out")}`],
    nodeArgs: NODE_ARGS,
  });
  try {
    const pid = server.pid;
    if (pid === undefined) throw new Error(`${name} has no process id`);
    await send(ctx, server.origin, method, counts.warmup);
    const blocks: number[] = [];
    do {
      callgrindControl("-z", pid);
      const answered = await send(ctx, server.origin, method, counts.block);
      callgrindControl("-d", pid);
      blocks.push((await readDump(dir, blocks.length + 1)) / answered);
    } while (blocks.length < counts.maxBlocks && !settle(blocks).settled);
    return settle(blocks);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const COLD: [entry: string | undefined, label: string][] = [
  [undefined, "`node -e 0`"],
  ["cold-node", "empty bundled entry (ESM)"],
  ["cold-standalone", "bare generated standalone validator (ESM)"],
  ["cold-project", "**impact-event-notifications** (ESM)"],
  ["cold-node-cjs", "empty bundled entry (CommonJS)"],
  ["cold-project-cjs", "**impact-event-notifications** (CommonJS)"],
];

/** Every server for POST; for GET, those marked. */
const SERVERS: [entry: string, label: string, get?: "GET"][] = [
  ["server-bare", "bare node:http (no validation: the limit)", "GET"],
  ["server-parse", "node:http + JSON.parse, no validation", "GET"],
  ["server-ajv", "node:http + JSON.parse + ajv"],
  ["server-project", "**createNodeHandler** (this package)", "GET"],
  ["server-fastify", "fastify 5 + schema"],
];

/** How much each mode counts. Smoke: the plumbing only, on a few entries and requests. */
export function instructionPlan(mode: Mode): {
  cold: typeof COLD;
  servers: typeof SERVERS;
  methods: readonly Method[];
  counts: RequestCounts;
} {
  return mode.name === "full"
    ? { cold: COLD, servers: SERVERS, methods: ["POST", "GET"], counts: { warmup: 2_000, block: 2_000, maxBlocks: 5 } }
    : {
        cold: COLD.filter(([e]) => e === undefined || e === "cold-project"),
        servers: SERVERS.filter(([e]) => e === "server-bare" || e === "server-project"),
        methods: ["POST"],
        counts: { warmup: 50, block: 50, maxBlocks: 2 },
      };
}

const millions = (n: number) => `${fmt(n / 1e6, 2)} M`;

export async function instructionsSection(ctx: SuiteContext): Promise<Section> {
  const title = "Instructions (callgrind)";
  const wrapper = wrapperOf();
  if (wrapper === undefined) {
    progress("✖ instructions: valgrind not found, part skipped (Debian: apt-get install valgrind)");
    return {
      title,
      markdown: "Not measured: valgrind is not installed on this machine (Debian: `apt-get install valgrind`).\n",
      targets: [],
    };
  }
  const plan = instructionPlan(ctx.mode);
  const file = (entry: string) => {
    const path = ctx.entries.files.get(entry);
    if (path === undefined) throw new Error(`${entry} was not built: ${ctx.entries.failed.get(entry) ?? "unknown"}`);
    return path;
  };

  const coldStarted = performance.now();
  const cold = await inPairs(
    plan.cold.map(([entry, label]) => async () => {
      const count = await countRun(wrapper, entry === undefined ? ["-e", "0"] : [file(entry)], ctx.root);
      progress(`✔ instructions, cold start: ${label.replaceAll("*", "")} ${millions(count)}`);
      return { entry, label, count };
    }),
  );
  progress(`✔ instructions, cold start (${elapsed(coldStarted)})`);
  const nodeE0 = cold.find((c) => c.entry === undefined)?.count ?? Number.NaN;
  const countOf = (entry: string) => cold.find((c) => c.entry === entry)?.count;
  const baseOf = (entry: string | undefined) =>
    entry === undefined || entry === "cold-node" || entry === "cold-node-cjs"
      ? undefined
      : countOf(entry.endsWith("-cjs") ? "cold-node-cjs" : "cold-node");
  const coldTable = table(
    ["process", "instructions", "over `node -e 0`", "over its empty entry"],
    cold.map(({ entry, label, count }) => {
      const base = baseOf(entry);
      return [
        label,
        millions(count),
        entry === undefined ? "baseline" : `${fmtSigned((count - nodeE0) / 1e6, 2)} M`,
        base === undefined ? "" : `${fmtSigned((count - base) / 1e6, 2)} M`,
      ];
    }),
  );

  const requestsStarted = performance.now();
  const rows = await inPairs(
    plan.methods.flatMap((method) =>
      plan.servers
        .filter(([, , get]) => method === "POST" || get === method)
        .map(([entry, label]) => async () => {
          const count = await perRequest(ctx, wrapper, label, file(entry), method, plan.counts);
          progress(
            `✔ instructions, ${method} ${label.replaceAll("*", "")}: ${fmt(count.perRequest)} a request` +
              ` (blocks: ${count.blocks.map((b) => fmt(b)).join(", ")}${count.settled ? "" : "; not settled"})`,
          );
          return { method, entry, label, ...count };
        }),
    ),
  );
  progress(`✔ instructions, per request (${elapsed(requestsStarted)})`);
  const bareOf = (method: Method) => rows.find((r) => r.method === method && r.entry === "server-bare")?.perRequest;
  const requestTable = table(
    ["method", "server", "instructions / request", "over bare", "× bare (capacity share)", "blocks"],
    rows.map(({ method, entry, label, perRequest, blocks, settled }) => {
      const bare = bareOf(method);
      return [
        method,
        label,
        fmt(perRequest),
        entry === "server-bare" || bare === undefined ? "" : fmtSigned(perRequest - bare),
        entry === "server-bare" ? "1.00×" : bare === undefined ? "n/a" : fmtRatio(bare / perRequest),
        `${blocks.length}${settled ? "" : ", **not settled**"}`,
      ];
    }),
  );

  const setarch = wrapper[0] === "setarch";
  const markdown = [
    "Counted by valgrind's callgrind (user-space instructions of the process, every thread), with",
    `${setarch ? "address-space randomisation off (`setarch -R`) and " : ""}V8's random seed fixed`,
    "(`--random-seed=1`). A cold start's count repeated to about 0.01% from run to run here, so small",
    "differences between starts are real where the timed tables cannot show them; a count per request",
    `moves by a few percent from block to block (hence the blocks below). Not time: a cache miss costs`,
    "more than an add, and the kernel's share of a request (loopback TCP, a third of every server's",
    "CPU in a perf profile) is not counted. Same bundles as the timed parts.",
    "",
    "**Cold start**: one whole process, start to exit, after its first validated notification.",
    "",
    coldTable,
    "",
    `**Per request**: ${fmt(plan.counts.warmup)} requests of warm-up, then blocks of ${fmt(plan.counts.block)}`,
    `requests (autocannon in a fresh process, ${ctx.mode.http.connections} connections, the documented body or query, each answered 2xx), each counted`,
    `from zeroed counters, until two blocks in a row agree within ${SETTLED * 100}% (at most ${plan.counts.maxBlocks});`,
    "the last block is reported, per request answered. “× bare” is bare's count ÷ the server's: the share of bare node:http's",
    "capacity the server would reach if instructions were the whole cost.",
    "",
    requestTable,
    "",
  ].join("\n");
  return { title, markdown, targets: [] };
}
