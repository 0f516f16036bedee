/**
 * The adapter core: one request through the verifier, whatever runtime it came from. An adapter
 * feeds it a request that is its own head (`RequestHead`), a `body` source and a `send`; every
 * public verify function and every handler is such a feed, so all of them reach one verdict by
 * one path, in the documented order (routing, the head's checks, then the query or the body).
 */
import type { ContractRuntime } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import type { BodyFormat } from "./check-media-type.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { validateQueryStep } from "./validate-step.js";
import { verifyBody } from "./verify-body.js";
import { type RequestHead, routeHead, verifyHead } from "./verify-head.js";
import { processingFailed, type VerifyResult } from "./verify-result.js";

/** The POST body as received (read within `maxBodyBytes`), or a verdict of the adapter's own (a 413 mid-body, a framework's parsed body). */
export type BodyDone<N extends ContractSelector> = (bytes: Uint8Array | VerifyResult<N>) => void;

/**
 * How an adapter reads the body of a request whose head passed: it calls `done` exactly once.
 * Given the request, so one function per adapter serves every request.
 */
export type BodySource<R, N extends ContractSelector> = (
  request: R,
  format: BodyFormat,
  contract: ContractRuntime,
  options: ResolvedVerifyOptions,
  done: BodyDone<N>,
) => void;

/**
 * Where the verdict goes, exactly once per request. `bytes`: the body, when it was read whole;
 * `contract`: the contract the request was routed to, also for a refusal after routing
 * (undefined for one before: a method, or a path no contract is configured for).
 */
export type Send<R, N extends ContractSelector> = (
  request: R,
  result: VerifyResult<N>,
  bytes: Uint8Array | undefined,
  contract: ContractRuntime | undefined,
) => void;

/**
 * Verifies `request` and calls `send` with the verdict: within this call when no body is needed
 * (every GET, a refusal from the head), else once `body` has delivered. No promise of its own, so
 * a callback-driven adapter (Node) pays for none. A throw in the verifier itself (a bug) becomes
 * `processingFailed()` (500, impact.com retries), never an unanswered request; throws from
 * `body` or `send` are the adapter's to handle.
 */
export function receive<R extends RequestHead, N extends ContractSelector>(
  request: R,
  options: ResolvedVerifyOptions,
  body: BodySource<R, N>,
  send: Send<R, N>,
): void {
  let contract: ContractRuntime | undefined;
  let step: VerifyResult<N> | BodyFormat;
  try {
    const routed = routeHead(request, options);
    if ("ok" in routed) {
      step = routed;
    } else {
      contract = routed;
      const head = verifyHead(request, routed, options);
      step = typeof head === "string" || "ok" in head ? head : validateQueryStep<N>(head, routed);
    }
  } catch {
    step = processingFailed();
  }
  if (typeof step !== "string") {
    send(request, step, undefined, contract);
    return;
  }
  const format = step;
  const routed = contract as ContractRuntime;
  body(request, format, routed, options, (bytes) => {
    let result: VerifyResult<N>;
    try {
      result = bytes instanceof Uint8Array ? verifyBody<N>(bytes, format, options, routed) : bytes;
    } catch {
      result = processingFailed();
    }
    send(request, result, bytes instanceof Uint8Array ? bytes : undefined, routed);
  });
}

/** `receive` as a promise of the verdict alone: what the public verify functions return. */
export function receiveVerdict<R extends RequestHead, N extends ContractSelector>(
  request: R,
  options: ResolvedVerifyOptions,
  body: BodySource<R, N>,
): Promise<VerifyResult<N>> {
  return new Promise((resolve) => receive<R, N>(request, options, body, (_, result) => resolve(result)));
}
