import { PROBLEM_CONTENT_TYPE, toProblemDetails } from "../errors/problem.js";
import type { ContractSelector } from "../select-contract.js";
import type { VerifyResult } from "./verify-result.js";

/**
 * The body sent on success. impact.com only looks at the status (any 2xx stops retries, facts
 * §5); the body is fixed so a configured "Success Response" can match it.
 */
export const SUCCESS_BODY = '{"ok":true}';

/** Status, headers and body of the answer to a verdict: one definition every adapter sends. */
export interface ResultMessage {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function toResultMessage<N extends ContractSelector>(result: VerifyResult<N>): ResultMessage {
  if (result.ok) {
    return { status: 200, headers: { "content-type": "application/json" }, body: SUCCESS_BODY };
  }
  return {
    status: result.status,
    headers: { ...result.headers, "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store" },
    body: JSON.stringify(toProblemDetails(result.error)),
  };
}

/** Turns a verdict into a Fetch `Response`: 200 on success, RFC 9457 problem+json otherwise. */
export function toResponse<N extends ContractSelector>(result: VerifyResult<N>): Response {
  const message = toResultMessage(result);
  return new Response(message.body, { status: message.status, headers: message.headers });
}
