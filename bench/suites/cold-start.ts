/**
 * Cold start: a fresh `node` process per sample, from spawn to exit after its first validated
 * notification, next to `node -e 0`. Candidates are interleaved run by run so drift hits all.
 * "At first verdict" is the child's own clock (performance.now(), from process start) when the
 * verdict was in: it leaves out exit, which the wall time includes.
 */
import { RESULT_PREFIX } from "../lib/child-report.js";
import { droppedStartupVariables, runToEnd } from "../lib/children.js";
import { fmt, fmtSigned, table } from "../lib/format.js";
import { progress } from "../lib/progress.js";
import type { Section, SuiteContext, TargetCheck } from "../lib/section.js";
import { median } from "../lib/stats.js";

interface Candidate {
  readonly name: string;
  readonly args: readonly string[];
  /** The child's environment when not `childEnv()` (the row showing what the dropped settings cost). */
  readonly env?: NodeJS.ProcessEnv;
}

interface Run {
  readonly wallMs: number;
  readonly firstVerdictMs: number | undefined;
  /** The child's own user + system CPU at its first verdict (less exposed to scheduling noise than wall time). */
  readonly cpuMs: number | undefined;
}

async function once({ args, env }: Candidate, root: string): Promise<Run> {
  const run = await runToEnd(process.execPath, args, {
    cwd: root,
    timeoutMs: 30_000,
    stderrTail: 2_000,
    ...(env === undefined ? {} : { env }),
  });
  if (run.code !== 0) throw new Error(`${args.join(" ")} exited with ${run.code}: ${run.stderr}`);
  const line = run.stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  const reported =
    line === undefined ? undefined : (JSON.parse(line.slice(RESULT_PREFIX.length)) as { ms: number; cpuMs: number });
  return { wallMs: run.wallMs, firstVerdictMs: reported?.ms, cpuMs: reported?.cpuMs };
}

const LABELS: [entry: string, label: string][] = [
  ["cold-node", "empty bundled entry (baseline of the rows below)"],
  ["cold-node-cjs", "empty bundled CommonJS entry (baseline of the CommonJS row)"],
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
  // Children start without settings like NODE_EXTRA_CA_CERTS (children.ts); where this run was
  // given some, one more row shows what they cost, so the figures can be set against the machine's own.
  const dropped = droppedStartupVariables();
  const asGiven = dropped.length > 0 ? `\`node -e 0\` with ${dropped.join(", ")}, as this run was given` : undefined;
  if (asGiven !== undefined) candidates.push({ name: asGiven, args: ["-e", "0"], env: process.env });
  const missing: string[] = [];
  for (const [entry, label] of LABELS) {
    const file = ctx.entries.files.get(entry);
    if (file === undefined) missing.push(`${label}: ${ctx.entries.failed.get(entry) ?? "not built"}`);
    else candidates.push({ name: label, args: [file] });
  }
  const runs = new Map<string, Run[]>(candidates.map((c) => [c.name, []]));
  // One unrecorded pass warms the OS file cache, as a deployed service's would be (not in smoke mode).
  if (ctx.mode.name === "full") for (const c of candidates) await once(c, ctx.root);
  for (let r = 0; r < ctx.mode.coldRuns; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[(r + k) % candidates.length] as Candidate;
      runs.get(c.name)?.push(await once(c, ctx.root));
    }
  }
  const wall = (name: string) => median((runs.get(name) ?? []).map((r) => r.wallMs));
  const NODE = "`node -e 0`";
  const EMPTY = LABELS[0]?.[1] ?? "";
  const EMPTY_CJS = LABELS[1]?.[1] ?? "";
  const isCjs = (name: string) => name.includes("CommonJS");
  const emptyFor = (name: string) => (isCjs(name) ? EMPTY_CJS : EMPTY);
  /**
   * Median of the round-by-round differences of `of` (wall time unless told): each round ran
   * both, so drift between rounds cancels. Undefined when either side reported no value.
   */
  const paired = (name: string, baseline: string, of: (r: Run) => number | undefined = (r) => r.wallMs) => {
    const a = runs.get(name) ?? [];
    const b = runs.get(baseline) ?? [];
    const deltas: number[] = [];
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = of(a[i] as Run);
      const y = of(b[i] as Run);
      if (x !== undefined && y !== undefined) deltas.push(x - y);
    }
    return deltas.length > 0 ? median(deltas) : undefined;
  };
  const cpuOf = (name: string) => {
    const cpu = (runs.get(name) ?? []).map((r) => r.cpuMs).filter((v): v is number => v !== undefined);
    return cpu.length > 0 ? median(cpu) : undefined;
  };
  const signedOrDash = (v: number | undefined) => (v === undefined ? "—" : signed(v));

  const signed = (v: number) => fmtSigned(v, 1);
  const rows = candidates.map((c) => {
    const list = runs.get(c.name) ?? [];
    const verdict = list.map((r) => r.firstVerdictMs).filter((v): v is number => v !== undefined);
    const cpu = cpuOf(c.name);
    const baseline = emptyFor(c.name);
    const bundled = c.args[0] !== "-e";
    const againstNode = bundled || c.name === asGiven;
    const isBaseline = c.name === EMPTY || c.name === EMPTY_CJS;
    return [
      c.name,
      fmt(wall(c.name), 1),
      againstNode ? signedOrDash(paired(c.name, NODE)) : "—",
      bundled && !isBaseline ? signedOrDash(paired(c.name, baseline)) : "—",
      verdict.length > 0 ? fmt(median(verdict), 1) : "—",
      cpu === undefined ? "—" : fmt(cpu, 1),
      isBaseline || !bundled ? "—" : signedOrDash(paired(c.name, baseline, (r) => r.cpuMs)),
    ];
  });
  const project = candidates.find((c) => c.name.includes("impact-event-notifications") && !isCjs(c.name));
  const projectCjs = candidates.find((c) => c.name.includes("impact-event-notifications") && isCjs(c.name));
  const coldTarget = (label: string, candidate: Candidate | undefined): TargetCheck => {
    const target = `cold start to first validated notification ≤ 10 ms beyond \`node -e 0\` (${label})`;
    if (candidate === undefined) return { target, measured: "not measured", met: undefined };
    const delta = paired(candidate.name, NODE);
    if (delta === undefined) return { target, measured: "not measured", met: undefined };
    const baseline = emptyFor(candidate.name);
    // Where the target is missed, say how much of it any entry of this format costs without the library.
    const loader = paired(baseline, NODE);
    const library = paired(candidate.name, baseline);
    return {
      target,
      measured: `${signed(delta)} ms`,
      met: delta <= 10,
      ...(delta > 10
        ? {
            note: `missed by ${fmt(delta - 10, 1)} ms${
              loader === undefined || library === undefined
                ? ""
                : ` (an empty entry of the same format: ${signed(loader)} ms; the library over it: ${signed(library)} ms)`
            }`,
          }
        : {}),
    };
  };
  const targets: TargetCheck[] = [coldTarget("ESM entry", project), coldTarget("CommonJS build", projectCjs)];
  progress(`✔ cold start: ${targets.map((t) => t.measured).join(" (ESM), ")} (CommonJS) over node -e 0`);
  const markdown = [
    `${ctx.mode.coldRuns} rounds; each round starts every process once, in a rotated order (after one unrecorded`,
    "pass). Wall time is spawn to exit, as the parent sees it (median); the “vs” columns are the medians of the",
    "round-by-round differences (wall time, or CPU in the last column), so drift between rounds cancels. “At first verdict” is the child's own clock when",
    "its first notification was validated (process start = 0, exit excluded); “CPU” is its user + system time",
    "then. Every entry is bundled with esbuild and run by plain `node`, as a user's build would be; “vs empty",
    "entry” leaves out what any entry file of that module format costs (for ESM, Node's ESM loader), i.e. what the",
    "library itself adds; the CommonJS row is compared with the empty CommonJS entry. Every process starts without",
    "settings that change any Node process's start (NODE_OPTIONS, NODE_EXTRA_CA_CERTS…; see the head of this file).",
    "",
    table(
      [
        "process",
        "wall ms",
        "vs `node -e 0`",
        "vs empty entry",
        "at first verdict, ms",
        "CPU at first verdict, ms",
        "CPU vs empty entry",
      ],
      rows,
    ),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    "",
  ].join("\n");
  return { title: "Cold start", markdown, targets };
}
