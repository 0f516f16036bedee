/**
 * A Node request recorded in an inbox (`createNodeHandler(inbox)`, `listen`): the request as it
 * arrived, and the answer that follows from the write.
 */
import type { IncomingMessage } from "node:http";
import type { ContractRuntime } from "../contract.js";
import {
  type NotificationRecorder,
  type RecordOutcome,
  recordsVerdict,
  type StoredRequest,
} from "../handler/recorder.js";
import type { ContractSelector } from "../select-contract.js";
import { fail, type VerifyFailure, type VerifyResult } from "../verify/verify-result.js";

const EMPTY = new Uint8Array(0);

/** The request as it arrived, for an inbox: headers as Node joined them, cookies left out. */
function storedRequest(
  req: IncomingMessage,
  body: Uint8Array | undefined,
  peer: string | undefined,
  receivedAt: number,
): StoredRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === "cookie") continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  return {
    method: req.method ?? "",
    target: req.url ?? "",
    headers,
    body: body ?? EMPTY,
    bodyTruncated: body === undefined && (declared > 0 || req.headers["transfer-encoding"] !== undefined),
    peer,
    receivedAt,
  };
}

export const inboxUnavailable = (): VerifyFailure =>
  fail("inbox_unavailable", "The notification could not be stored; impact.com will retry. See your server logs.");

/**
 * The answer with an inbox instead of a handler: an accepted notification is recorded first and
 * answered 2xx once committed (a duplicate too), 503 if the write failed; a refusal is recorded
 * when the inbox keeps refusals, then answered as it would be without one.
 */
export async function recordVerdict<N extends ContractSelector>(
  recorder: NotificationRecorder,
  req: IncomingMessage,
  result: VerifyResult<N>,
  body: Uint8Array | undefined,
  /** The contract the request was routed to (from the adapter core), also for a refusal after routing. */
  contract: ContractRuntime | undefined,
  /** The client address the verifier checked. */
  peer: string | undefined,
  receivedAt: number,
): Promise<{ readonly answer: VerifyResult<N>; readonly outcome?: RecordOutcome; readonly error?: unknown }> {
  if (!recordsVerdict(recorder, result as VerifyResult<ContractSelector>)) return { answer: result };
  try {
    const request = storedRequest(req, body, peer, receivedAt);
    const outcome = await recorder.record({ request, verdict: result as VerifyResult<ContractSelector>, contract });
    return { answer: result, outcome };
  } catch (error) {
    return { answer: result.ok ? inboxUnavailable() : result, error };
  }
}
