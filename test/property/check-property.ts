/**
 * Runs a fast-check property with the suite's run count and a printed, replayable seed.
 *
 * Runs: at least 10 000 per property when CI=true (issue 7); locally PROPERTY_RUNS or 300, so a
 * dev loop stays fast. Seed: PROPERTY_SEED when given, otherwise a fresh one per run, so CI keeps
 * exploring new inputs. On failure the seed, the shrink path and the exact command that replays
 * the counterexample are printed (fast-check's own report follows in the thrown error).
 */
import { relative } from "node:path";
import fc from "fast-check";
import { expect } from "vitest";

const LOCAL_RUNS = 300;
const CI_RUNS = 10_000;

export function propertyRuns(): number {
  const asked = Number(process.env.PROPERTY_RUNS);
  const local = Number.isInteger(asked) && asked > 0 ? asked : LOCAL_RUNS;
  return process.env.CI === "true" ? Math.max(CI_RUNS, local) : local;
}

function propertySeed(): number {
  const given = Number(process.env.PROPERTY_SEED);
  return Number.isInteger(given) ? given : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
}

/** `name` appears in the replay hint; `runs` overrides the count for expensive properties. */
export function checkProperty(name: string, property: fc.IProperty<unknown>, runs = propertyRuns()): void {
  const seed = propertySeed();
  const path = process.env.PROPERTY_PATH;
  try {
    fc.assert(property, { numRuns: runs, seed, ...(path === undefined ? {} : { path }), endOnFailure: false });
  } catch (error) {
    const details = error instanceof Error ? error.message.match(/path: "([^"]*)"/) : null;
    const { testPath, currentTestName } = expect.getState();
    const file = testPath === undefined ? "test/property" : relative(process.cwd(), testPath);
    const only = currentTestName === undefined ? "" : ` -t ${JSON.stringify(currentTestName.split(" > ").pop())}`;
    console.error(
      `property "${name}" failed with seed ${seed}. Replay: PROPERTY_SEED=${seed}${
        details?.[1] ? ` PROPERTY_PATH="${details[1]}"` : ""
      } npx vitest run ${file}${only}`,
    );
    throw error;
  }
}
