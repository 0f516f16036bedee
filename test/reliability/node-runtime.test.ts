/**
 * The suite and every process it spawns run on one Node: the machine's, or the one .ci/node24.sh
 * puts first on PATH (it sets EXPECT_NODE_VERSION). Without this, a "Node 24 run" could quietly
 * test Prism or the CLI on Node 20.
 */
import { execFileSync } from "node:child_process";
import { expect, test } from "vitest";

test("tests and the `node` their child processes find on PATH are the expected version", () => {
  const expected = process.env.EXPECT_NODE_VERSION ?? process.version;
  expect(process.version).toBe(expected);
  expect(execFileSync("node", ["--version"], { encoding: "utf8" }).trim()).toBe(expected);
});
