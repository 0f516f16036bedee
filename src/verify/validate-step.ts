import { type ContractName, contracts } from "../../generated/index.js";
import type { ContractRuntime, Delivery } from "../contract.js";
import { type ValidationResult, validateEventNotification, validateOperation } from "../validate-event-notification.js";
import type { DecodedParameters } from "./decode-parameters.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { failWith, type VerifyResult } from "./verify-result.js";

const contractList = contracts as Record<string, ContractRuntime>;

function verdictOf<N extends ContractName>(result: ValidationResult<ContractName>): VerifyResult<N> {
  return (result.ok ? result : failWith(result.error)) as VerifyResult<N>;
}

/**
 * Step 5 for GET: the query as `decodeParameters` left it is validated through
 * `validateEventNotification`'s core, neither walked again nor scanned for forbidden keys (the
 * decoder refused `__proto__`, and a record of strings holds nothing else that could pollute).
 */
export function validateQueryStep<N extends ContractName = "documented">(
  query: DecodedParameters,
  options: ResolvedVerifyOptions,
  contract: ContractName = options.contract,
): VerifyResult<N> {
  // verifyHead checked that the contract describes GET; the public function words the refusal otherwise.
  const operation = contractList[contract]?.operations.GET;
  return verdictOf(
    operation === undefined
      ? validateEventNotification(query.record, { contract, delivery: "GET" })
      : validateOperation(operation, contract, "GET", query.record, false, query.repeated, true),
  );
}

/** Step 5 for POST: a decoded body, scanned for forbidden keys, then validated. */
export function validateBodyStep<N extends ContractName = "documented">(
  body: unknown,
  options: ResolvedVerifyOptions,
  contract: ContractName = options.contract,
): VerifyResult<N> {
  const delivery: Delivery = "POST";
  const operation = contractList[contract]?.operations[delivery];
  return verdictOf(
    operation === undefined
      ? validateEventNotification(body, { contract, delivery })
      : validateOperation(operation, contract, delivery, body, false, undefined, false),
  );
}
