/**
 * `mock`: the real Prism mock on the bundled contract(s), with request validation on (an invalid
 * notification gets 422 problem+json), until Ctrl-C. One Prism per contract: contract i listens on
 * PORT + i. Offline: it reads each contract's bundled openapi.json only (a project's generated
 * folder, or the package's built-in contracts).
 */
import { CliError } from "../cli-error.js";
import { loadContractSource } from "../contract-source.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { integerOption, parseOptions } from "../parse-options.js";
import { type RunningPrism, startPrism } from "../start-prism.js";
import { untilSignal } from "../until-signal.js";

const options = {
  contract: { type: "string" },
  contracts: { type: "string" },
  port: { type: "string" },
  quiet: { type: "boolean" },
} as const;

export async function runMock(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("mock", args, options);
  const port = integerOption("port", values.port, 4010, 1, 65_535);
  const source = await loadContractSource(values.contracts);
  const names = values.contract === undefined ? [...source.contracts.keys()] : [values.contract];
  for (const name of names) source.get(name);
  const running: RunningPrism[] = [];
  try {
    for (const [i, contract] of names.entries()) {
      const prism = await startPrism({
        contract,
        document: source.documentPath(contract),
        port: port + i,
        ...(values.quiet === true ? {} : { onOutput: (text: string) => process.stderr.write(text) }),
      });
      running.push(prism);
      const operations = source.get(contract).operations;
      const routes = Object.entries(operations).map(([method, op]) => `${method} ${prism.url}${op.path}`);
      process.stdout.write(`Prism mock for "${contract}": ${routes.join(", ")}\n`);
    }
    process.stdout.write("Invalid notifications get 422. Stop with Ctrl-C.\n");
    const exited = Promise.race(
      running.map((p) => new Promise<string>((resolve) => p.process.once("exit", () => resolve(p.contract)))),
    );
    const reason = await Promise.race([untilSignal(), exited.then((c) => `prism:${c}`)]);
    if (reason.startsWith("prism:")) {
      throw new CliError(
        `Prism for "${reason.slice(6)}" stopped unexpectedly. Run \`npx impact-event-notifications mock\` again.`,
        exitCodes.environment,
      );
    }
    return exitCodes.ok;
  } finally {
    await Promise.all(running.map((p) => p.stop()));
  }
}
