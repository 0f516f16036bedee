/**
 * impact-event-notifications/inbox: the durable inbox (Node only). Record every request, answer
 * 2xx once it is committed, process it afterwards with retries, keep what failed. See docs/inbox.md.
 */
export {
  createInbox,
  DEFAULT_REJECTED_BODY_BYTES,
  type Inbox,
  type InboxContext,
  type InboxCounters,
  type InboxHandler,
  type InboxOptions,
  type InboxWorker,
  type ProcessOptions,
} from "./create-inbox.js";
export { type PostgresInboxOptions, postgresInbox } from "./postgres.js";
export { type SqliteInboxOptions, sqliteInbox } from "./sqlite.js";
export {
  INBOX_STATUSES,
  type InboxEntry,
  type InboxRow,
  type InboxStatus,
  type InboxStore,
  type InsertOutcome,
  type LeasedRow,
  type ListFilter,
  type StoredRequest,
} from "./store.js";
