import type { ContractRuntime } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import type { BodyFormat } from "./check-media-type.js";
import { decodeBody } from "./decode-body.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { validateBodyStep } from "./validate-step.js";
import type { VerifyResult } from "./verify-result.js";

/** Decodes and validates a POST body whose bytes were read within the limit. */
export function verifyBody<N extends ContractSelector = "documented">(
  bytes: Uint8Array,
  format: BodyFormat,
  options: ResolvedVerifyOptions,
  contract: ContractRuntime,
): VerifyResult<N> {
  const decoded = decodeBody(bytes, format, options);
  if ("ok" in decoded) return decoded;
  return validateBodyStep<N>(decoded.value, contract, true);
}
