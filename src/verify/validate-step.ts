import type { ContractName } from "../../generated/index.js";
import type { Delivery } from "../contract.js";
import { contractOperation, validateEventNotification, validateOperation } from "../validate-event-notification.js";
import type { DecodedParameters } from "./decode-parameters.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { failWith, type VerifyResult } from "./verify-result.js";

/** Step 5: decoded data through `validateEventNotification`'s core, without its input shaping. */
function validateDecoded<N extends ContractName>(
  delivery: Delivery,
  data: unknown,
  contract: ContractName,
  repeated: ReadonlySet<string> | undefined,
  screened: boolean,
): VerifyResult<N> {
  // verifyHead checked that the contract describes the delivery; the public function words the refusal otherwise.
  const operation = contractOperation(contract, delivery);
  const result =
    operation === undefined
      ? validateEventNotification(data, { contract, delivery })
      : validateOperation(operation, contract, delivery, data, false, repeated, screened);
  return (result.ok ? result : failWith(result.error)) as VerifyResult<N>;
}

/**
 * Step 5 for GET: the query as `decodeParameters` left it, neither walked again nor scanned for
 * forbidden keys (the decoder refused `__proto__`, and a record of strings holds nothing else that
 * could pollute).
 */
export function validateQueryStep<N extends ContractName = "documented">(
  query: DecodedParameters,
  options: ResolvedVerifyOptions,
  contract: ContractName = options.contract,
): VerifyResult<N> {
  return validateDecoded<N>("GET", query.record, contract, query.repeated, true);
}

/** Step 5 for POST: a decoded body, scanned for forbidden keys, then validated. */
export function validateBodyStep<N extends ContractName = "documented">(
  body: unknown,
  options: ResolvedVerifyOptions,
  contract: ContractName = options.contract,
): VerifyResult<N> {
  return validateDecoded<N>("POST", body, contract, undefined, false);
}
