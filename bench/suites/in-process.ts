/** In-process part: runs both in-process entries in fresh processes and tabulates them. */
import { runEntry } from "../lib/children.js";
import { fmtNs, fmtRatio, table } from "../lib/format.js";
import type { GroupResult } from "../lib/in-process-group.js";
import type { Section, SuiteContext, TargetCheck } from "../lib/section.js";
import { median, spreadPercent } from "../lib/stats.js";

function groupTable(group: GroupResult): string {
  const rows = group.cases.map((c) => [
    c.role === "project" ? `**${c.name}**` : c.name,
    fmtNs(median(c.samples)),
    `±${spreadPercent(c.samples).toFixed(0)}%`,
    c.role === "floor" ? "floor" : fmtRatio(c.ratioToFloor),
  ]);
  return `**${group.name}** (floor: ${group.floor})\n\n${table(["case", "median / op", "spread", "× floor"], rows)}`;
}

function worstRatio(groups: readonly GroupResult[], suite: GroupResult["suite"], filter: (g: GroupResult) => boolean) {
  let worst: { ratio: number; group: string } | undefined;
  for (const g of groups) {
    if (g.suite !== suite || !filter(g)) continue;
    const ratio = g.cases.find((c) => c.role === "project")?.ratioToFloor;
    if (ratio !== undefined && (worst === undefined || ratio > worst.ratio)) worst = { ratio, group: g.name };
  }
  return worst;
}

export async function inProcessSection(ctx: SuiteContext): Promise<Section> {
  const groups: GroupResult[] = [];
  const missing: string[] = [];
  const files: string[] = [];
  for (const entry of ["in-process-validate", "in-process-verify"]) {
    const file = ctx.entries.files.get(entry);
    if (file === undefined) missing.push(`${entry}: ${ctx.entries.failed.get(entry) ?? "not built"}`);
    else files.push(file);
  }
  const runOne = (file: string) => runEntry<GroupResult[]>(file, ctx.mode.inProcess, ctx.root, 600_000);
  // Smoke numbers mean nothing, so both children may share the cores; a full run measures one at a time.
  if (ctx.mode.name === "smoke") for (const g of await Promise.all(files.map(runOne))) groups.push(...g);
  else for (const file of files) groups.push(...(await runOne(file)));
  const targets: TargetCheck[] = [];
  const decoded = worstRatio(
    groups,
    "validate",
    (g) => g.name.startsWith("POST decoded body") && g.name.endsWith(", valid"),
  );
  targets.push({
    target: "validateEventNotification on a decoded body ≤ 3× the bare generated validator",
    measured:
      decoded === undefined ? "not measured" : `${fmtRatio(decoded.ratio)} (worst valid case: ${decoded.group})`,
    met: decoded === undefined ? undefined : decoded.ratio <= 3,
    ...(decoded !== undefined && decoded.ratio > 3
      ? { note: `missed by ${((decoded.ratio / 3 - 1) * 100).toFixed(0)}%` }
      : {}),
  });
  const verify = worstRatio(groups, "verify", (g) => g.name.startsWith("POST") && g.name.endsWith(", valid"));
  targets.push({
    target: "verifyRequest ≤ 1.5× body read + JSON.parse + bare validator",
    measured:
      verify === undefined ? "not measured" : `${fmtRatio(verify.ratio)} (worst valid POST case: ${verify.group})`,
    met: verify === undefined ? undefined : verify.ratio <= 1.5,
    ...(verify === undefined
      ? { note: missing.join("; ") }
      : verify.ratio > 1.5
        ? { note: `missed by ${((verify.ratio / 1.5 - 1) * 100).toFixed(0)}%` }
        : {}),
  });
  const markdown = [
    "Each table is one input; its cases ran round-robin, sample by sample, and “× floor” is the median of",
    `the paired ratios (${ctx.mode.inProcess.samples} samples of ~${ctx.mode.inProcess.sampleMs} ms each).`,
    "Spread is half the min–max range of the samples, relative to the median.",
    "",
    ...groups.flatMap((g) => [groupTable(g), ""]),
    ...(missing.length > 0 ? [`Not measured: ${missing.join("; ")}`, ""] : []),
  ].join("\n");
  return { title: "In-process", markdown, targets };
}
