/**
 * `generate`: runs the repository's generator (scripts/generate.ts: openapi/ → generated/).
 * It needs the repository, not just the installed package: the contracts live in openapi/.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../cli-error.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { packageRoot } from "../package-root.js";
import { parseOptions } from "../parse-options.js";

const options = { check: { type: "boolean" } } as const;

export async function runGenerate(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("generate", args, options);
  const root = packageRoot();
  const script = join(root, "scripts", "generate.ts");
  if (!existsSync(script) || !existsSync(join(root, "openapi"))) {
    throw new CliError(
      "generate runs in a clone of the repository (it needs openapi/ and scripts/). Clone it, then run `npm run generate`.",
      exitCodes.environment,
    );
  }
  const child = spawn(process.execPath, ["--import", "tsx", script, ...(values.check === true ? ["--check"] : [])], {
    cwd: root,
    stdio: "inherit",
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once("error", () => resolve(null));
    child.once("exit", (c) => resolve(c));
  });
  if (code === null)
    throw new CliError(
      "The generator could not start. Run `npm install` in the repository first.",
      exitCodes.environment,
    );
  return code === 0 ? exitCodes.ok : exitCodes.rejected;
}
