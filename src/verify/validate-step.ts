import type { ContractName } from "../../generated/index.js";
import type { Delivery } from "../contract.js";
import { validateEventNotification } from "../validate-event-notification.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { failWith, type VerifyResult } from "./verify-result.js";

/** Step 5, validation: the generated validators, through `validateEventNotification`. */
export function validateStep<N extends ContractName = "documented">(
  value: Record<string, unknown>,
  delivery: Delivery,
  options: ResolvedVerifyOptions,
  contract: ContractName = options.contract,
): VerifyResult<N> {
  const result = validateEventNotification(value, { contract, delivery });
  return (result.ok ? result : failWith(result.error)) as VerifyResult<N>;
}
