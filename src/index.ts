export { contracts } from "../generated/index.js";
export type { ContractRuntime, Delivery, GeneratedValidator, OperationRuntime } from "./contract.js";
export { type ProblemCode, problemCodes, problemType } from "./errors/codes.js";
export { EventNotificationError } from "./errors/event-notification-error.js";
export {
  type NotificationIssue,
  type NotificationProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  toProblemDetails,
} from "./errors/problem.js";
export { describePattern, type ValueFormat, type ValueFormatName, valueFormats } from "./formats.js";
export type { EventNotification, EventNotificationItem, EventNotificationQuery } from "./types.js";
export {
  type ContractName,
  type ContractTypes,
  parseEventNotification,
  type ValidateOptions,
  type ValidationFailure,
  type ValidationResult,
  type ValidationSuccess,
  validateEventNotification,
} from "./validate-event-notification.js";
