import type { ContractRuntime } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import type { BodyFormat } from "./check-media-type.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { validateQueryStep } from "./validate-step.js";
import { verifyBody } from "./verify-body.js";
import { type HeadVerdict, type RequestHead, verifyHead } from "./verify-head.js";
import type { VerifyResult } from "./verify-result.js";

/**
 * What an adapter does to get a POST body once the head passed: the bytes as received (read within
 * `maxBodyBytes`), or a verdict of its own (a size refusal, a framework's already-parsed body).
 */
export type BodySource<N extends ContractSelector> = (
  format: BodyFormat,
  contract: ContractRuntime,
) => Uint8Array | VerifyResult<N> | Promise<Uint8Array | VerifyResult<N>>;

/** A head that passed and needs its POST body: the only case in which the pipeline waits. */
export type BodyWanted = Extract<HeadVerdict, { readonly delivery: "POST" }>;

/**
 * The pipeline's first half: every check that needs no body (`verifyHead`), then for GET the
 * validation of the query. Returns the final verdict, or the POST head still needing its body
 * (give that to `verifyPostBody`). Synchronous, so an adapter reading a stream by callbacks (the
 * Node one) pays for no promise.
 */
export function verifyBeforeBody<N extends ContractSelector>(
  head: RequestHead,
  options: ResolvedVerifyOptions,
): VerifyResult<N> | BodyWanted {
  const verdict = verifyHead(head, options);
  if (!verdict.ok) return verdict;
  if (verdict.delivery === "GET") return validateQueryStep<N>(verdict.query, verdict.contract);
  return verdict;
}

/** The pipeline's second half: the body's bytes decoded and validated, or the body source's own verdict. */
export function verifyPostBody<N extends ContractSelector>(
  wanted: BodyWanted,
  bytes: Uint8Array | VerifyResult<N>,
  options: ResolvedVerifyOptions,
): VerifyResult<N> {
  return bytes instanceof Uint8Array ? verifyBody<N>(bytes, wanted.format, options, wanted.contract) : bytes;
}

/** True for the head that still needs its body; a verdict otherwise. */
export function wantsBody<N extends ContractSelector>(step: VerifyResult<N> | BodyWanted): step is BodyWanted {
  return step.ok && "format" in step;
}

/**
 * The pipeline, in its one documented order, for any request source: every check that needs no
 * body (`verifyHead`), then for GET the validation of the query, for POST the body from `body`,
 * decoded and validated. `verifyRequest` and every adapter go through `verifyBeforeBody` and
 * `verifyPostBody` (this function, or the Node adapter's callback form); only `body` differs.
 */
export async function verifyParts<N extends ContractSelector>(
  head: RequestHead,
  options: ResolvedVerifyOptions,
  body: BodySource<N>,
): Promise<VerifyResult<N>> {
  const step = verifyBeforeBody<N>(head, options);
  if (!wantsBody(step)) return step;
  return verifyPostBody<N>(step, await body(step.format, step.contract), options);
}
