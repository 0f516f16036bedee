/**
 * Cold start: a fresh `node` process per sample, from spawn to exit after its first validated
 * notification, next to `node -e 0`. Candidates are interleaved run by run so drift hits all.
 * "At first verdict" is the child's own clock (performance.now(), from process start) when the
 * verdict was in: it leaves out exit, which the wall time includes.
 */
import { RESULT_PREFIX } from "../lib/child-report.js";
import { startChild } from "../lib/children.js";
import { fmt, table } from "../lib/format.js";
import { progress } from "../lib/progress.js";
import type { Section, SuiteContext, TargetCheck } from "../lib/section.js";
import { median } from "../lib/stats.js";

interface Candidate {
  readonly name: string;
  readonly args: readonly string[];
}

interface Run {
  readonly wallMs: number;
  readonly firstVerdictMs: number | undefined;
}

function once(args: readonly string[], root: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = startChild(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      out += c;
    });
    child.stderr?.setEncoding("utf8").on("data", (c: string) => {
      err = (err + c).slice(-2_000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${args.join(" ")} exited with ${code}: ${err}`));
        return;
      }
      const line = out.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      const firstVerdictMs =
        line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as { ms: number }).ms;
      resolve({ wallMs, firstVerdictMs });
    });
  });
}

const LABELS: [entry: string, label: string][] = [
  ["cold-node", "empty bundled entry (baseline of the rows below)"],
  ["cold-standalone", "bare generated standalone validator"],
  ["cold-project", "**impact-event-notifications** (public entry, validateEventNotification)"],
  ["cold-project-cjs", "**impact-event-notifications**, CommonJS build (`require`)"],
  ["cold-ajv", "ajv 2020, schema compiled at start"],
  ["cold-fastify", "fastify + body schema (ready + inject)"],
  ["cold-express-openapi-validator", "express + express-openapi-validator (first request)"],
  ["cold-openapi-backend", "openapi-backend (init + validateRequest)"],
];

export async function coldStartSection(ctx: SuiteContext): Promise<Section> {
  const candidates: Candidate[] = [{ name: "`node -e 0`", args: ["-e", "0"] }];
  const missing: string[] = [];
  for (const [entry, label] of LABELS) {
    const file = ctx.entries.files.get(entry);
    if (file === undefined) missing.push(`${label}: ${ctx.entries.failed.get(entry) ?? "not built"}`);
    else candidates.push({ name: label, args: [file] });
  }
  const runs = new Map<string, Run[]>(candidates.map((c) => [c.name, []]));
  // One unrecorded pass warms the OS file cache, as a deployed service's would be (not in smoke mode).
  if (ctx.mode.name === "full") for (const c of candidates) await once(c.args, ctx.root);
  for (let r = 0; r < ctx.mode.coldRuns; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[(r + k) % candidates.length] as Candidate;
      runs.get(c.name)?.push(await once(c.args, ctx.root));
    }
  }
  const wall = (name: string) => median((runs.get(name) ?? []).map((r) => r.wallMs));
  const base = wall("`node -e 0`");
  const empty = wall(LABELS[0]?.[1] ?? "");
  const signed = (v: number) => `${v >= 0 ? "+" : ""}${fmt(v, 1)}`;
  const rows = candidates.map((c) => {
    const list = runs.get(c.name) ?? [];
    const verdict = list.map((r) => r.firstVerdictMs).filter((v): v is number => v !== undefined);
    const w = wall(c.name);
    const bundled = c.args[0] !== "-e";
    return [
      c.name,
      fmt(w, 1),
      bundled ? signed(w - base) : "—",
      bundled && c.name !== LABELS[0]?.[1] ? signed(w - empty) : "—",
      verdict.length > 0 ? fmt(median(verdict), 1) : "—",
    ];
  });
  const project = candidates.find((c) => c.name.includes("impact-event-notifications"));
  const delta = project === undefined ? undefined : wall(project.name) - base;
  progress(
    `✔ cold start: project ${delta === undefined ? "n/a" : signed(delta)} ms over node -e 0 (${ctx.mode.coldRuns} run(s) each)`,
  );
  const targets: TargetCheck[] = [
    {
      target: "cold start to first validated notification ≤ 10 ms beyond `node -e 0`",
      measured: delta === undefined ? "not measured" : `${signed(delta)} ms`,
      met: delta === undefined ? undefined : delta <= 10,
      ...(delta !== undefined && delta > 10 ? { note: `missed by ${fmt(delta - 10, 1)} ms` } : {}),
    },
  ];
  const markdown = [
    `Median of ${ctx.mode.coldRuns} fresh processes per row (interleaved, after one unrecorded pass). Wall time is`,
    "spawn to exit, as the parent sees it; “at first verdict” is the child's own clock when its first",
    "notification was validated (process start = 0, exit excluded). Every entry is bundled with esbuild and run",
    "by plain `node`, as a user's build would be; “vs empty entry” leaves out what any ESM entry file costs",
    "(Node's ESM loader), i.e. what the library itself adds.",
    "",
    table(["process", "wall ms", "vs `node -e 0`", "vs empty entry", "at first verdict, ms"], rows),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    "",
  ].join("\n");
  return { title: "Cold start", markdown, targets };
}
