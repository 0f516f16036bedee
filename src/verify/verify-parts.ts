import type { ContractName } from "../../generated/index.js";
import type { BodyFormat } from "./check-media-type.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { validateStep } from "./validate-step.js";
import { verifyBody } from "./verify-body.js";
import { type RequestHead, verifyHead } from "./verify-head.js";
import type { VerifyResult } from "./verify-result.js";

/**
 * What an adapter does to get a POST body once the head passed: the bytes as received (read within
 * `maxBodyBytes`), or a verdict of its own (a size refusal, a framework's already-parsed body).
 */
export type BodySource<N extends ContractName> = (
  format: BodyFormat,
  contract: ContractName,
) => Uint8Array | VerifyResult<N> | Promise<Uint8Array | VerifyResult<N>>;

/**
 * The pipeline, in its one documented order, for any request source: every check that needs no
 * body (`verifyHead`), then for GET the validation of the query, for POST the body from `body`,
 * decoded and validated. `verifyRequest` and every adapter call this; only `body` differs.
 */
export async function verifyParts<N extends ContractName>(
  head: RequestHead,
  options: ResolvedVerifyOptions,
  body: BodySource<N>,
): Promise<VerifyResult<N>> {
  const verdict = verifyHead(head, options);
  if (!verdict.ok) return verdict;
  if (verdict.delivery === "GET") return validateStep<N>(verdict.query, "GET", options, verdict.contract);
  const bytes = await body(verdict.format, verdict.contract);
  return bytes instanceof Uint8Array ? verifyBody<N>(bytes, verdict.format, options, verdict.contract) : bytes;
}
