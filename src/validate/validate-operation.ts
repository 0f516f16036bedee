/**
 * The validation core: one operation's generated validator over data already in shape, with the
 * forbidden-key scan before it and the known-value notices after. `validateEventNotification`
 * (after shaping its input) and the verifier's last step (src/verify/validate-step.ts, on what the
 * decoders produced) both end here, so the two can never disagree on a verdict.
 */
import type { ContractRuntime, Delivery, OperationRuntime } from "../contract.js";
import { issuesFromValidator } from "../errors/from-validator.js";
import { forbiddenKeyProblem, type NotificationProblem, problem } from "../errors/problem.js";
import { findForbiddenKey } from "../input/forbidden-key.js";
import { knownValueNotices } from "../known-values.js";
import type { ContractSelector } from "../select-contract.js";
import type { ValidationFailure, ValidationResult } from "../validate-event-notification.js";

function failure(error: NotificationProblem): ValidationFailure {
  return { ok: false, error };
}

/**
 * The check itself, once the operation is known and the input is in shape: forbidden keys, the
 * generated validator, known-value notices. `screened` skips the forbidden-key scan for data a
 * decoder already screened: a query or form record from `decodeParameters`, which refuses
 * `__proto__` and holds only strings (so no `constructor.prototype` either), and a JSON body from
 * `parseJson`, which finds both while parsing. Internal: not exported from the package.
 */
export function validateOperation(
  operation: OperationRuntime,
  contract: ContractRuntime,
  delivery: Delivery,
  data: unknown,
  allErrors: boolean,
  repeated: ReadonlySet<string> | undefined,
  screened: boolean,
): ValidationResult<ContractSelector> {
  // Prototype-polluting keys first: they are refused as forbidden_key (400) whatever else is wrong.
  const forbidden = screened ? undefined : findForbiddenKey(data);
  if (forbidden !== undefined) {
    return failure(forbiddenKeyProblem("notification", forbidden));
  }
  const validate = allErrors ? operation.validateAllErrors : operation.validate;
  if (!validate(data)) {
    const issues = issuesFromValidator(
      validate.errors ?? [],
      repeated,
      contract.template === undefined ? undefined : data,
    );
    return failure(
      problem(
        "invalid_notification",
        `The ${delivery} notification does not match contract "${contract.name}".`,
        issues,
      ),
    );
  }
  return {
    ok: true,
    contract: contract.name,
    delivery,
    notification: data,
    notices: knownValueNotices(operation, data),
  } as ValidationResult<ContractSelector>;
}
