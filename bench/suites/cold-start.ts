/**
 * Cold start: a fresh `node` process per sample, from spawn to exit after its first validated
 * notification, next to `node -e 0`. Candidates are interleaved round by round so drift hits all.
 * "At first verdict" is the child's own clock (from process start) when the verdict was in: it
 * leaves out exit, which the wall time includes.
 */
import { runToEnd } from "../lib/children.js";
import { fmt, fmtSigned, table } from "../lib/format.js";
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

async function once({ args }: Candidate, root: string): Promise<Run> {
  const run = await runToEnd(args, root, 30_000);
  if (run.code !== 0) throw new Error(`${args.join(" ")} exited with ${run.code}: ${run.stderr}`);
  return { wallMs: run.wallMs, firstVerdictMs: (run.result as { ms: number } | undefined)?.ms };
}

const LABELS: [entry: string, label: string][] = [
  ["cold-node", "empty bundled entry (baseline of the ESM row)"],
  ["cold-node-cjs", "empty bundled CommonJS entry (baseline of the CommonJS row)"],
  ["cold-project", "**impact-event-notifications** (public entry, validateEventNotification)"],
  ["cold-project-cjs", "**impact-event-notifications**, CommonJS build (`require`)"],
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
  /** Median of the round-by-round differences of wall time: each round ran both, so drift between rounds cancels. */
  const paired = (name: string, baseline: string) => {
    const a = runs.get(name) ?? [];
    const b = runs.get(baseline) ?? [];
    const deltas = a.slice(0, b.length).map((x, i) => x.wallMs - (b[i] as Run).wallMs);
    return deltas.length > 0 ? median(deltas) : undefined;
  };
  const signed = (v: number) => fmtSigned(v, 1);
  const signedOrDash = (v: number | undefined) => (v === undefined ? "—" : signed(v));
  const rows = candidates.map((c) => {
    const verdict = (runs.get(c.name) ?? []).flatMap((r) => (r.firstVerdictMs === undefined ? [] : [r.firstVerdictMs]));
    const bundled = c.args[0] !== "-e";
    const isBaseline = c.name === EMPTY || c.name === EMPTY_CJS;
    return [
      c.name,
      fmt(wall(c.name), 1),
      bundled ? signedOrDash(paired(c.name, NODE)) : "—",
      bundled && !isBaseline ? signedOrDash(paired(c.name, emptyFor(c.name))) : "—",
      verdict.length > 0 ? fmt(median(verdict), 1) : "—",
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
    "pass). Wall time is spawn to exit (median); the “vs” columns are the medians of the round-by-round",
    "differences, so drift between rounds cancels. “At first verdict” is the child's own clock when its first",
    "notification was validated (exit excluded). Every entry is bundled with esbuild and run by plain `node`, as a",
    "user's build would be; “vs empty entry” leaves out what any entry file of that module format costs (for ESM,",
    "Node's ESM loader): what the library itself adds. Every process starts without settings that change any Node",
    "process's start (see the head of this file).",
    "",
    table(["process", "wall ms", "vs `node -e 0`", "vs empty entry", "at first verdict, ms"], rows),
    ...(missing.length > 0 ? ["", `Not measured: ${missing.join("; ")}`] : []),
    "",
  ].join("\n");
  return { title: "Cold start", markdown, targets };
}
