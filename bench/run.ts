/**
 * `npm run bench`: in-process, cold start, template scale, HTTP (with the durable inbox) and memory
 * benchmarks of this package against bare Node and its peers; writes BENCHMARKS.md. `--smoke`
 * runs every part for seconds (test/bench uses it) and writes to a temporary file unless `--out`
 * says otherwise.
 *
 *   npm run bench                          full run, writes BENCHMARKS.md
 *   npm run bench:smoke                    every part for seconds
 *   npm run bench -- --only http,memory    some parts (in-process, cold-start, templates, http, memory)
 *   npm run bench -- --only http --servers parse,fastify --rounds 5 --sets 2
 *                                          some HTTP servers (the adapter, bare node:http and the control
 *                                          always run), rounds per set of processes, sets
 *   npm run bench -- --only http --servers parse,no-reducer
 *                                          also the adapter under --no-memory-reducer, beside the defaults
 *
 * A full run is planned to take at most FULL_RUN_LIMIT_S (bench/lib/modes.ts); the plan per part is
 * printed first, the duration of each part as it ends.
 */
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildEntries } from "./lib/build-entries.js";
import { environment } from "./lib/environment.js";
import { table } from "./lib/format.js";
import { FULL_RUN_LIMIT_S, modes, type PlannedPart, plannedSeconds } from "./lib/modes.js";
import { elapsed, progress } from "./lib/progress.js";
import type { Section, SuiteContext } from "./lib/section.js";
import { coldStartSection } from "./suites/cold-start.js";
import { httpSection, SERVER_IDS } from "./suites/http.js";
import { INBOX_IDS } from "./suites/http-inbox.js";
import { inProcessSection } from "./suites/in-process.js";
import { memorySection } from "./suites/memory.js";
import { templateScaleSection } from "./suites/template-scale.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PARTS = ["in-process", "cold-start", "templates", "http", "memory"] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    out: { type: "string" },
    only: { type: "string" },
    servers: { type: "string" },
    rounds: { type: "string" },
    sets: { type: "string" },
  },
});
/** A whole-number flag within [min, max], or undefined when not given; exits 2 otherwise. */
function wholeNumber(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  process.stderr.write(`✖ --${flag} must be a whole number from ${min} to ${max}, got ${raw}\n`);
  process.exit(2);
}
const baseMode = modes[values.smoke ? "smoke" : "full"];
const rounds = wholeNumber("rounds", values.rounds, 1, 50);
const sets = wholeNumber("sets", values.sets, 1, 20);
const mode = {
  ...baseMode,
  http: {
    ...baseMode.http,
    ...(rounds === undefined ? {} : { rounds, inbox: { ...baseMode.http.inbox, rounds } }),
    ...(sets === undefined ? {} : { blocks: sets }),
  },
};
const servers = values.servers?.split(",");
const unknownServers = servers?.filter((s) => !(SERVER_IDS as readonly string[]).includes(s)) ?? [];
if (unknownServers.length > 0) {
  process.stderr.write(`✖ unknown server(s) ${unknownServers.join(", ")}; known: ${SERVER_IDS.join(", ")}\n`);
  process.exit(2);
}
const only = (values.only?.split(",") ?? [...PARTS]) as Part[];
const unknown = only.filter((p) => !PARTS.includes(p));
if (unknown.length > 0) {
  process.stderr.write(`✖ unknown part(s) ${unknown.join(", ")}; known: ${PARTS.join(", ")}\n`);
  process.exit(2);
}
const out = values.out ?? (values.smoke ? join(tmpdir(), "impact-bench-smoke.md") : join(root, "BENCHMARKS.md"));
const flags = [
  values.only === undefined ? "" : ` --only ${values.only}`,
  values.servers === undefined ? "" : ` --servers ${values.servers}`,
  values.rounds === undefined ? "" : ` --rounds ${values.rounds}`,
  values.sets === undefined ? "" : ` --sets ${values.sets}`,
].join("");
const command = `npm run ${values.smoke ? "bench:smoke" : "bench"}${flags === "" ? "" : ` --${flags}`}`;

async function main() {
  const started = performance.now();
  const plan = plannedSeconds(mode);
  const withInbox = only.includes("http") && (servers === undefined || INBOX_IDS.some((id) => servers.includes(id)));
  const planned = only
    .flatMap((p): PlannedPart[] => (p === "http" && withInbox ? ["http", "inbox"] : [p]))
    .map((p) => [p, plan[p]] as const);
  const total = planned.reduce((s, [, seconds]) => s + seconds, 0);
  progress(
    `✔ planned: ${planned.map(([p, seconds]) => `${p} ${seconds.toFixed(0)} s`).join(", ")}; total ${total.toFixed(0)} s` +
      (mode.name === "full" ? ` (a full run: at most ${FULL_RUN_LIMIT_S} s)` : ""),
  );
  const head = environment(root);
  const entries = await buildEntries(root, [
    "bench/entries/in-process-validate.ts",
    "bench/entries/in-process-verify.ts",
    "bench/entries/cold-project.ts",
    ["bench/entries/cold-project.ts", "cold-project-cjs.cjs"],
    "bench/entries/cold-node.ts",
    ["bench/entries/cold-node.ts", "cold-node-cjs.cjs"],
    "bench/entries/server-bare.ts",
    "bench/entries/server-parse.ts",
    "bench/entries/server-ajv.ts",
    "bench/entries/server-project.ts",
    "bench/entries/server-fastify.ts",
    "bench/entries/server-express-openapi-validator.ts",
    "bench/entries/server-inbox.ts",
    // Beside server-inbox.mjs, where sqliteInbox looks for its thread's script (as in dist/).
    ["src/inbox/sqlite-thread.ts", "inbox-sqlite-thread.js"],
    "bench/entries/load.ts",
  ]);
  for (const [name, error] of entries.failed) progress(`✖ could not build ${name}: ${error}`);
  progress(`✔ built ${entries.files.size} bench entries (${elapsed(started)})`);
  process.once("exit", () => rmSync(entries.dir, { recursive: true, force: true }));
  const ctx: SuiteContext = { root, mode, entries, ...(servers === undefined ? {} : { servers }) };
  const sections: Section[] = [];
  const run = async (part: Part, suite: (c: SuiteContext) => Promise<Section>) => {
    if (!only.includes(part)) return;
    const t = performance.now();
    sections.push(await suite(ctx));
    progress(`✔ ${part} done (${elapsed(t)})`);
  };
  await run("in-process", inProcessSection);
  await run("cold-start", coldStartSection);
  await run("templates", templateScaleSection);
  await run("http", httpSection);
  await run("memory", memorySection);
  const targets = sections.flatMap((s) => s.targets);
  const doc = [
    "# Benchmarks",
    "",
    `Written by \`${command}\` (bench/run.ts, ${mode.name} mode) — do not edit by hand; re-run the command.`,
    "",
    ...head,
    `- Duration of this run: ${elapsed(started)} (planned ${total.toFixed(0)} s: ${planned.map(([p, seconds]) => `${p} ${seconds.toFixed(0)} s`).join(", ")})`,
    "",
    "## Targets",
    "",
    table(
      ["target", "measured", "verdict"],
      targets.map((t) => [
        t.target,
        t.measured,
        t.met === undefined
          ? `not measured${t.note ? `: ${t.note}` : ""}`
          : t.met
            ? `met${t.note ? ` (${t.note})` : ""}`
            : `**missed**${t.note ? `: ${t.note}` : ""}`,
      ]),
    ),
    "",
    ...sections.flatMap((s) => [`## ${s.title}`, "", s.markdown.trimEnd(), ""]),
  ].join("\n");
  writeFileSync(out, doc);
  progress(`✔ wrote ${relative(process.cwd(), out) || out} (${elapsed(started)})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
