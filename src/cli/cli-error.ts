import { type ExitCode, exitCodes } from "./exit-codes.js";

/**
 * An error the CLI prints as one line (what went wrong, then what to do) and exits with; never a
 * stack trace. Anything else that escapes is reported as an internal error (exit 70).
 */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = exitCodes.usage) {
    super(message);
    this.exitCode = exitCode;
  }
}
