export { contracts } from "../generated/index.js";
export { createFetchHandler, type FetchHandlerOptions, type FetchRequestContext } from "./adapters/fetch.js";
export type {
  Contract,
  ContractRegistry,
  ContractRuntime,
  Delivery,
  GeneratedValidator,
  NotificationTypes,
  OperationRuntime,
  TemplateRuntime,
} from "./contract.js";
export {
  type ConfiguredKind,
  type ContractOfKind,
  type ContractOfKindIn,
  contractForKind,
  contractForRoute,
  type KindIn,
} from "./contract-for-route.js";
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
export {
  type ClientConnection,
  DEFAULT_HANDLER_TIMEOUT_MS,
  type HandlerOptions,
  handleNotification,
  type NotificationContext,
  type OnNotification,
} from "./handler/handle-notification.js";
export { type NotificationKeyOptions, notificationKey } from "./handler/notification-key.js";
export type { ContractOf, ContractSelector, DeliveryOf, NameOf, TypesOf } from "./select-contract.js";
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
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_PARAMETERS,
  MAX_DEPTH_LIMIT,
  MAX_SECRET_BYTES,
  type SecretOptions,
  type VerifyOptions,
} from "./verify/options.js";
export { toResponse } from "./verify/to-response.js";
export { verifyRequest } from "./verify/verify-request.js";
export type { VerifyFailure, VerifyResult } from "./verify/verify-result.js";
