/**
 * The CLI's exit codes, documented in the README ("CLI reference"). Stable: scripts and CI match
 * on them. 64 and 70 follow BSD sysexits.h (EX_USAGE is 64 there; 2 is what parseArgs-style
 * tools commonly use, so usage errors are 2 here).
 */
export const exitCodes = {
  /** Everything worked; every notification sent or checked was accepted / valid. */
  ok: 0,
  /** The command ran, but a notification was invalid (validate) or not acknowledged with a 2xx (send). */
  rejected: 1,
  /** Wrong command line: unknown command or option, missing or malformed value. */
  usage: 2,
  /** The environment stopped the command: file not found, port in use, receiver unreachable, Prism missing. */
  environment: 3,
  /** A bug in this CLI: please report it. */
  internal: 70,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];
