#!/usr/bin/env node
/**
 * The `impact-event-notifications` CLI. No framework: node:util parseArgs per command. Every
 * failure is one line on stderr with what to do, and a documented exit code (exit-codes.ts).
 */
import { CliError } from "./cli-error.js";
import { runGenerate } from "./commands/generate.js";
import { runInbox } from "./commands/inbox.js";
import { runListen } from "./commands/listen.js";
import { runMock } from "./commands/mock.js";
import { runSend } from "./commands/send.js";
import { runValidate } from "./commands/validate.js";
import { type ExitCode, exitCodes } from "./exit-codes.js";
import { BIN, generalHelp, helpFor } from "./help.js";

const commands: Readonly<Record<string, (args: readonly string[]) => Promise<ExitCode>>> = {
  listen: runListen,
  send: runSend,
  validate: runValidate,
  generate: runGenerate,
  mock: runMock,
  inbox: runInbox,
};

export async function main(argv: readonly string[]): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    const topic = command === "help" ? rest[0] : undefined;
    process.stdout.write(`${topic === undefined ? generalHelp : helpFor(topic)}\n`);
    return exitCodes.ok;
  }
  // Own keys only: `toString` or `constructor` is an unknown command, not an Object.prototype method.
  const run = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (run === undefined) {
    throw new CliError(
      `Unknown command "${command}". Commands: ${Object.keys(commands).join(", ")}. Run \`${BIN} --help\`.`,
    );
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(helpFor(command));
    return exitCodes.ok;
  }
  return run(rest);
}

function fail(error: unknown): ExitCode {
  if (error instanceof CliError) {
    process.stderr.write(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  process.stderr.write(`internal error: ${message}. Please report it with the command you ran.\n`);
  return exitCodes.internal;
}

/**
 * A reader that went away (`validate big.log | head -1`) is not a failure of the command: when
 * stdout or stderr is closed under it, the CLI ends at once, quietly, with exit code 0, as a
 * Unix filter ends on SIGPIPE, instead of an EPIPE stack trace.
 */
function endQuietlyOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") process.exit(exitCodes.ok);
      throw error;
    });
  }
}

// Only when run as the program (not when a test imports main()).
const invoked = process.argv[1] ?? "";
if (/(?:^|[\\/])(?:main\.ts|cli\.js|impact-event-notifications)$/.test(invoked)) {
  endQuietlyOnClosedOutput();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = fail(error);
    },
  );
}
