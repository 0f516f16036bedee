import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError } from "./cli-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * node:util parseArgs with the CLI's error style: an unknown or malformed option becomes one line
 * naming the fix instead of a TypeError with a stack.
 */
export function parseOptions<O extends Options>(command: string, args: readonly string[], options: O, positionals = 0) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CliError(`${message} Run \`impact-event-notifications ${command} --help\` for the options.`);
  }
  if (parsed.positionals.length > positionals) {
    throw new CliError(
      `Unexpected argument "${parsed.positionals[positionals]}". Run \`impact-event-notifications ${command} --help\`.`,
    );
  }
  return parsed;
}

/** A whole number within bounds, or a usage error that says which bounds. */
export function integerOption(name: string, value: string | undefined, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, got "${value}".`);
  }
  return n;
}

export function numberOption(name: string, value: string | undefined, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new CliError(`--${name} must be a number from ${min} to ${max}, got "${value}".`);
  }
  return n;
}
