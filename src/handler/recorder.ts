/**
 * What an adapter hands a durable inbox (`createInbox`, impact-event-notifications/inbox): the
 * request as it arrived and the verifier's verdict. Defined here, apart from the inbox, so the
 * adapters know the protocol without loading a database driver; the inbox fills in the rest
 * (keys, order, what of a refusal is kept).
 */
import type { ContractRuntime } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import type { VerifyResult } from "../verify/verify-result.js";

/** The request as it arrived, enough to re-send it byte for byte (`inbox replay`). */
export interface StoredRequest {
  readonly method: string;
  /** Path and query exactly as received (the request target), secret included. */
  readonly target: string;
  /** The request's headers (lower-case names, repeated ones joined by ", "), cookies left out. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body bytes as received (empty for a GET, or for a refusal decided before the body was read). */
  readonly body: Uint8Array;
  /** True when `body` holds only the first bytes of the body (refused requests are kept bounded). */
  readonly bodyTruncated: boolean;
  /** The client address the verifier checked, when known. */
  readonly peer: string | undefined;
  /** When the request arrived, in ms since the epoch. */
  readonly receivedAt: number;
}

export interface RequestRecord {
  readonly request: StoredRequest;
  readonly verdict: VerifyResult<ContractSelector>;
  /** The contract the verdict names, when the adapter knows it (for its `actionIdField`). */
  readonly contract: ContractRuntime | undefined;
}

export interface RecordOutcome {
  /** The inbox row: the new one, or for a duplicate the one stored first. */
  readonly id: number;
  readonly duplicate: boolean;
}

/**
 * Pass one instead of `onNotification` (`createNodeHandler(inbox, options)`): an accepted
 * notification is answered 2xx once `record` resolved (a duplicate too), 503 `inbox_unavailable`
 * if it rejects; a refusal is recorded (when `recordsRefusals`) and answered as without an inbox.
 */
export interface NotificationRecorder {
  readonly record: (record: RequestRecord) => Promise<RecordOutcome>;
  /** Whether refused requests are recorded too (their answer waits for the write; a failed write does not change it). */
  readonly recordsRefusals: boolean;
}

/**
 * Whether `recorder` keeps a request with this verdict: every accepted one, and a refusal when it
 * records refusals, except a 5xx (the receiver's own trouble, not the request's: impact.com retries it).
 */
export function recordsVerdict(recorder: NotificationRecorder, verdict: VerifyResult<ContractSelector>): boolean {
  return verdict.ok || (recorder.recordsRefusals && verdict.status < 500);
}

export function isRecorder(value: unknown): value is NotificationRecorder {
  return typeof value === "object" && value !== null && typeof (value as { record?: unknown }).record === "function";
}
