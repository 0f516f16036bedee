import type { ProblemCode } from "./codes.js";
import { type NotificationIssue, type NotificationProblem, type ProblemDetails, toProblemDetails } from "./problem.js";

/** Thrown by `parseEventNotification`; carries the same data as a failed result. */
export class EventNotificationError extends Error implements NotificationProblem {
  override readonly name = "EventNotificationError";
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly issues: readonly NotificationIssue[];

  constructor(problem: NotificationProblem) {
    const first = problem.issues[0];
    super(first === undefined ? problem.detail : `${problem.detail}: ${first.path || "(root)"} ${first.message}`);
    this.code = problem.code;
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.issues = problem.issues;
  }

  toProblemDetails(options?: { instance?: string }): ProblemDetails {
    return toProblemDetails(this, options);
  }
}
