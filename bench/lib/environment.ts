/** Versions and machine facts for the head of BENCHMARKS.md. */
import { readFileSync } from "node:fs";
import { cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { droppedStartupVariables, STARTUP_VARIABLES } from "./children.js";

const PEERS = [
  "ajv",
  "autocannon",
  "express",
  "express-openapi-validator",
  "fastify",
  "@stoplight/prism-cli",
  "esbuild",
];

function versionOf(root: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8")) as { version: string })
      .version;
  } catch {
    return "not installed";
  }
}

function startupNote(): string {
  const dropped = droppedStartupVariables();
  return dropped.length === 0 ? "None was set for this run." : `This run was given ${dropped.join(", ")}.`;
}

export function environment(root: string): string[] {
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string };
  const cpu = cpus();
  return [
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" / ")}`,
    `- Node ${process.version}; ${own.name} ${own.version}`,
    `- Peers: ${PEERS.map((p) => `${p} ${versionOf(root, p)}`).join(", ")}`,
    `- Child processes start without ${STARTUP_VARIABLES.join(", ")} (bench/lib/children.ts): settings that change every Node process's start. ${startupNote()}`,
  ];
}
