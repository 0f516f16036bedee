import type { ProblemCode } from "../errors/codes.js";
import { type NotificationIssue, type NotificationProblem, problem } from "../errors/problem.js";
import type { ContractSelector } from "../select-contract.js";
import type { ValidationSuccess } from "../validate-event-notification.js";

/** A refused request: the HTTP status to answer, the problem body, and headers the status requires. */
export interface VerifyFailure {
  readonly ok: false;
  readonly status: number;
  readonly error: NotificationProblem;
  /** e.g. `Allow` for 405 (RFC 9110 §15.5.6), `WWW-Authenticate` for 401 (§15.5.2). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The verdict on a whole request. Success has the same shape as `validateEventNotification`'s. */
export type VerifyResult<N extends ContractSelector = "documented"> = ValidationSuccess<N> | VerifyFailure;

export function fail(
  code: ProblemCode,
  detail: string,
  issues?: readonly NotificationIssue[],
  headers?: Readonly<Record<string, string>>,
): VerifyFailure {
  const error = problem(code, detail, issues);
  return headers === undefined
    ? { ok: false, status: error.status, error }
    : { ok: false, status: error.status, error, headers };
}

export function failWith(error: NotificationProblem): VerifyFailure {
  return { ok: false, status: error.status, error };
}

/** The answer when something unexpected fails: 500, so impact.com retries and nothing is lost. */
export function processingFailed(): VerifyFailure {
  return fail("handler_failed", "The notification could not be processed; impact.com will retry.");
}
