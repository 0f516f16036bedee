import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Delivery } from "../contract.js";
import { CliError } from "./cli-error.js";
import { exitCodes } from "./exit-codes.js";
import { packageRoot } from "./package-root.js";

/** A fixture file: test/fixtures/<contract>/<case>.json (see README, "Mock and contract tests"). */
export interface Fixture {
  readonly delivery: Delivery;
  readonly query?: string;
  readonly body?: unknown;
}

function fixtureDir(contract: string): string {
  return join(packageRoot(), "test", "fixtures", contract);
}

/** `--fixture NAME` is a case of test/fixtures/<contract>/, or a path to a fixture file. */
export function loadFixture(name: string, contract: string): Fixture {
  const dir = fixtureDir(contract);
  const file = [resolve(name), join(dir, `${name}.json`)].find((f) => f.endsWith(".json") && existsSync(f));
  if (file === undefined) {
    const known = existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".json"))
          .map((f) => f.slice(0, -5))
      : [];
    const hint =
      known.length > 0
        ? `Known for "${contract}": ${known.slice(0, 12).join(", ")}${known.length > 12 ? ", …" : ""}.`
        : "";
    throw new CliError(
      `No fixture "${name}". Give a case name of test/fixtures/${contract}/ or a .json path. ${hint}`.trim(),
      exitCodes.usage,
    );
  }
  let fixture: Fixture;
  try {
    fixture = JSON.parse(readFileSync(file, "utf8")) as Fixture;
  } catch {
    throw new CliError(`${file} is not valid JSON. Fix the file or pick another fixture.`, exitCodes.environment);
  }
  if (fixture.delivery === "GET" && typeof fixture.query === "string") return fixture;
  if (fixture.delivery === "POST" && "body" in fixture) return fixture;
  throw new CliError(
    `${file} is not a fixture: it needs "delivery": "GET" with a "query" string, or "delivery": "POST" with a "body".`,
    exitCodes.usage,
  );
}
