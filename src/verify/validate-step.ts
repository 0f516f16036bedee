import type { ContractRuntime, Delivery } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import { validateOperation } from "../validate/validate-operation.js";
import type { DecodedParameters } from "./decode-parameters.js";
import { fail, failWith, type VerifyResult } from "./verify-result.js";

/** Step 5: decoded data through `validateEventNotification`'s core, without its input shaping. */
function validateDecoded<N extends ContractSelector>(
  delivery: Delivery,
  data: unknown,
  contract: ContractRuntime,
  repeated: ReadonlySet<string> | undefined,
  screened: boolean,
): VerifyResult<N> {
  const operation = contract.operations[delivery];
  // verifyHead has checked that the contract describes the delivery; this only keeps the types honest.
  if (operation === undefined) {
    return fail("unsupported_delivery", `Contract "${contract.name}" describes no ${delivery} notification.`);
  }
  const result = validateOperation(operation, contract, delivery, data, false, repeated, screened);
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

/**
 * Step 5 for POST: a body, validated. `screened`: it came from `decodeBody` (or its text
 * decoders), which let no forbidden key through; a body a framework parsed is scanned here.
 */
export function validateBodyStep<N extends ContractSelector = "documented">(
  body: unknown,
  contract: ContractRuntime,
  screened: boolean,
): VerifyResult<N> {
  return validateDecoded<N>("POST", body, contract, undefined, screened);
}
