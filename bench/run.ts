/**
 * `npm run bench`: in-process, cold start, template scale, HTTP (with the durable inbox) and memory
 * benchmarks of this package against bare Node and its peers; writes BENCHMARKS.md. `--smoke`
 * runs every part for seconds (test/bench uses it) and writes to a temporary file unless `--out`
 * says otherwise.
 *
 *   npm run bench                          full run, writes BENCHMARKS.md
 *   npm run bench:smoke                    every part for seconds
 *   npm run bench -- --only http,memory    some parts (in-process, cold-start, templates, http, memory)
 *   npm run bench -- --only http --servers bare,project,inbox-full --rounds 5
 *                                          some HTTP servers (the project's adapter always runs), more rounds
 *   npm run bench -- --only http --servers project,fastify --duels 61
 *                                          more head-to-head duels with fastify per method
 */
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildEntries } from "./lib/build-entries.js";
import { environment } from "./lib/environment.js";
import { table } from "./lib/format.js";
import { modes } from "./lib/modes.js";
import { elapsed, progress } from "./lib/progress.js";
import type { Section, SuiteContext } from "./lib/section.js";
import { coldStartSection } from "./suites/cold-start.js";
import { httpSection, SERVER_IDS } from "./suites/http.js";
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
    duels: { type: "string" },
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
const duels = wholeNumber("duels", values.duels, 0, 200);
const mode = {
  ...baseMode,
  http: {
    ...baseMode.http,
    ...(rounds === undefined ? {} : { rounds, inbox: { ...baseMode.http.inbox, rounds } }),
    ...(duels === undefined ? {} : { headToHead: duels }),
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
  values.duels === undefined ? "" : ` --duels ${values.duels}`,
].join("");
const command = `npm run ${values.smoke ? "bench:smoke" : "bench"}${flags === "" ? "" : ` --${flags}`}`;

async function main() {
  const started = performance.now();
  const head = environment(root);
  const entries = await buildEntries(root, [
    "bench/entries/in-process-validate.ts",
    "bench/entries/in-process-verify.ts",
    "bench/entries/cold-project.ts",
    ["bench/entries/cold-project.ts", "cold-project-cjs.cjs"],
    "bench/entries/cold-node.ts",
    ["bench/entries/cold-node.ts", "cold-node-cjs.cjs"],
    "bench/entries/server-bare.ts",
    "bench/entries/server-ajv.ts",
    "bench/entries/server-project.ts",
    "bench/entries/server-fastify.ts",
    "bench/entries/server-express-openapi-validator.ts",
    "bench/entries/server-openapi-backend.ts",
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
    `- Duration of this run: ${elapsed(started)}`,
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
