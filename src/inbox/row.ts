/**
 * A row as both stores select it (the columns of `impact_inbox`, docs/inbox.md), and its mapping
 * to `InboxRow`. The drivers differ only in representation, which this absorbs: numbers may come as
 * text or bigint (PostgreSQL's float8 and bigint, SQLite's integers), booleans as 0/1 (SQLite), and
 * bytes as a `\x…` hex string when a pool's bytea parser is turned off.
 */
import type { InboxRow, InboxStatus } from "./store.js";

type Numeric = number | string | bigint;

export interface SelectedRow {
  readonly id: Numeric;
  readonly key: string;
  readonly status: InboxStatus;
  readonly received_at: Numeric;
  readonly method: string;
  readonly target: string;
  /** JSON text. */
  readonly headers: string;
  readonly body: Uint8Array | string;
  readonly body_truncated: boolean | number;
  readonly peer: string | null;
  readonly contract: string | null;
  readonly delivery: "GET" | "POST" | null;
  /** JSON text. */
  readonly notification: string | null;
  readonly notification_key: string | null;
  readonly order_key: string | null;
  /** JSON text. */
  readonly verdict: string | null;
  readonly attempts: Numeric;
  readonly duplicates: Numeric;
  readonly available_at: Numeric;
  readonly lease_until: Numeric | null;
  readonly lease_token: string | null;
  readonly last_error: string | null;
  readonly updated_at: Numeric;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function bytesOf(value: Uint8Array | string): Uint8Array {
  if (typeof value !== "string") return value;
  return value.startsWith("\\x") ? Buffer.from(value.slice(2), "hex") : Buffer.from(value, "binary");
}

export function toInboxRow(r: SelectedRow): InboxRow {
  return {
    id: Number(r.id),
    key: r.key,
    status: r.status,
    request: {
      method: r.method,
      target: r.target,
      headers: JSON.parse(r.headers) as Record<string, string>,
      body: bytesOf(r.body),
      bodyTruncated: r.body_truncated === true || r.body_truncated === 1,
      peer: orUndefined(r.peer),
      receivedAt: Number(r.received_at),
    },
    contract: orUndefined(r.contract),
    delivery: orUndefined(r.delivery),
    notification: r.notification === null ? undefined : JSON.parse(r.notification),
    notificationKey: orUndefined(r.notification_key),
    orderKey: orUndefined(r.order_key),
    verdict: r.verdict === null ? undefined : (JSON.parse(r.verdict) as InboxRow["verdict"]),
    attempts: Number(r.attempts),
    duplicates: Number(r.duplicates),
    availableAt: Number(r.available_at),
    leaseUntil: r.lease_until === null ? undefined : Number(r.lease_until),
    lastError: orUndefined(r.last_error),
    updatedAt: Number(r.updated_at),
  };
}
