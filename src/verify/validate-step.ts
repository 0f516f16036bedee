import type { ContractRuntime, Delivery } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import { validateEventNotification, validateOperation } from "../validate-event-notification.js";
import type { DecodedParameters } from "./decode-parameters.js";
import { failWith, type VerifyResult } from "./verify-result.js";

/** Step 5: decoded data through `validateEventNotification`'s core, without its input shaping. */
function validateDecoded<N extends ContractSelector>(
  delivery: Delivery,
  data: unknown,
  contract: ContractRuntime,
  repeated: ReadonlySet<string> | undefined,
  screened: boolean,
): VerifyResult<N> {
  // verifyHead checked that the contract describes the delivery; the public function words the refusal otherwise.
  const operation = contract.operations[delivery];
  const result =
    operation === undefined
      ? validateEventNotification(data, { contract: contract as never, delivery })
      : validateOperation(operation, contract, delivery, data, false, repeated, screened);
  return (result.ok ? result : failWith(result.error)) as VerifyResult<N>;
}

/**
 * Step 5 for GET: the query as `decodeParameters` left it, neither walked again nor scanned for
 * forbidden keys (the decoder refused `__proto__`, and a record of strings holds nothing else that
 * could pollute).
 */
export function validateQueryStep<N extends ContractSelector = "documented">(
  query: DecodedParameters,
  contract: ContractRuntime,
): VerifyResult<N> {
  return validateDecoded<N>("GET", query.record, contract, query.repeated, true);
}

/** Step 5 for POST: a decoded body, scanned for forbidden keys, then validated. */
export function validateBodyStep<N extends ContractSelector = "documented">(
  body: unknown,
  contract: ContractRuntime,
): VerifyResult<N> {
  return validateDecoded<N>("POST", body, contract, undefined, false);
}
