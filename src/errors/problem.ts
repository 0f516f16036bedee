import { type ProblemCode, problemCodes, problemType } from "./codes.js";

/** One thing wrong with a notification, located by a JSON pointer into the notification. */
export interface NotificationIssue {
  /** JSON pointer (RFC 6901) into the notification: `/payout`, `/items/0/qty`, `` for the root. */
  readonly path: string;
  /** Stable machine code: `type`, `pattern`, `required`, `repeated_parameter`, `unknown_value`, … */
  readonly code: string;
  /** What is wrong and what a valid value looks like. Never contains the received value. */
  readonly message: string;
}

/** The data of every error this package returns or throws. */
export interface NotificationProblem {
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly issues: readonly NotificationIssue[];
}

/** An RFC 9457 problem details object, ready for `application/problem+json`. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: ProblemCode;
  readonly issues: readonly NotificationIssue[];
  readonly instance?: string;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Caps that keep an error body small whatever the input: an attacker controls key names. */
const MAX_ISSUES = 20;
const MAX_PATH = 200;

function boundedPath(path: string): string {
  return path.length <= MAX_PATH ? path : `${path.slice(0, MAX_PATH - 1)}…`;
}

export function problem(
  code: ProblemCode,
  detail: string,
  issues: readonly NotificationIssue[] = [],
): NotificationProblem {
  const { status, title } = problemCodes[code];
  const kept = issues.length > MAX_ISSUES ? issues.slice(0, MAX_ISSUES) : issues;
  return {
    code,
    status,
    title,
    detail,
    issues: kept.map((i) => (i.path.length > MAX_PATH ? { ...i, path: boundedPath(i.path) } : i)),
  };
}

/**
 * The refusal of a prototype-polluting key (`__proto__`, `constructor.prototype`), wherever it was
 * found: `where` names the input ("query string", "body", "notification"), `path` points at the key.
 */
export function forbiddenKeyProblem(where: string, path: string): NotificationProblem {
  return problem("forbidden_key", `The ${where} has a key that is refused to prevent prototype pollution.`, [
    { path, code: "forbidden_key", message: "is never accepted as a key" },
  ]);
}

/** Turns an error into the body of an `application/problem+json` response (RFC 9457). */
export function toProblemDetails(error: NotificationProblem, options: { instance?: string } = {}): ProblemDetails {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    issues: error.issues
      .slice(0, MAX_ISSUES)
      .map((i) => ({ path: boundedPath(i.path), code: i.code, message: i.message })),
    ...(options.instance === undefined ? {} : { instance: options.instance }),
  };
}
