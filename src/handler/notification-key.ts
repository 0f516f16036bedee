import { canonicalJson } from "./canonical-json.js";

export interface NotificationKeyOptions {
  /**
   * Top-level fields the key is derived from. Default: every field. Restrict it only if your
   * template contains a value that changes between retries of the same event.
   */
  readonly fields?: readonly string[];
}

const encoder = new TextEncoder();

interface NodeHash {
  update(data: string): NodeHash;
  digest(encoding: "hex"): string;
}
type GetBuiltinModule = (id: string) => unknown;
const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: GetBuiltinModule } }).process
  ?.getBuiltinModule;
type NodeCrypto = { createHash(algorithm: string): NodeHash };
/** undefined: not looked for yet; null: looked for, and the runtime has none. */
let nodeCrypto: NodeCrypto | null | undefined;

function loadNodeCrypto(): NodeCrypto | null {
  if (getBuiltinModule === undefined) return null;
  try {
    return (getBuiltinModule("node:crypto") as NodeCrypto | undefined) ?? null;
  } catch {
    // Where loading it throws (a Node built without OpenSSL may), it is as absent as anywhere else.
    return null;
  }
}

/**
 * node:crypto's synchronous SHA-256 where the runtime has it (Node ≥ 20.16, Deno, Bun):
 * WebCrypto's digest is asynchronous and hops to the thread pool, which took a fifth of the
 * receiver's CPU under load (BENCHMARKS.md). Fetch-only runtimes (Workers) use WebCrypto.
 * Loaded on the first key, not at import: node:crypto (with node:stream under it) cost a cold
 * start 4–7 ms here, and most receivers never ask for a key.
 */
function createHash(): NodeHash | undefined {
  if (nodeCrypto === undefined) nodeCrypto = loadNodeCrypto();
  return nodeCrypto?.createHash("sha256");
}

function keyData(notification: unknown, fields: readonly string[] | undefined): unknown {
  if (fields === undefined || typeof notification !== "object" || notification === null) return notification;
  const source = notification as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    if (Object.hasOwn(source, field) && field !== "__proto__") picked[field] = source[field];
  }
  return picked;
}

/** True where `notificationKeySync` works (node:crypto is there): Node, Deno, Bun. */
export const syncKeyAvailable = typeof getBuiltinModule === "function";

/** `notificationKey` computed synchronously; undefined on runtimes without node:crypto. */
export function notificationKeySync(notification: unknown, options: NotificationKeyOptions = {}): string | undefined {
  const hash = createHash();
  if (hash === undefined) return undefined;
  return `v1:${hash.update(canonicalJson(keyData(notification, options.fields))).digest("hex")}`;
}

/**
 * A de-duplication key for a notification: `v1:` + hex SHA-256 of its canonical JSON.
 *
 * impact.com sends no delivery id and no idempotency header (facts §5, observed S16), retries
 * on anything but 2xx, and sends several lifecycle updates per action (tracked, modified,
 * reversed; facts §5, S9). A retry repeats the same substituted values, so the same key; a
 * lifecycle update changes Status, Payout or DeltaPayout, so a new key. Every field is used by
 * default because the field names are the partner's own template keys (facts §1), so no fixed
 * list (`action_id`, `status`, …) can be relied on. The secret query parameter is already removed
 * by verification, so rotating the secret does not change keys. Store keys to skip repeats; upsert
 * by your action-id field to keep the latest state. The canonical JSON takes a stack frame per
 * level of nesting: fine for anything the verifier accepted (`maxDepth` ≤ `MAX_DEPTH_LIMIT`); a
 * value of your own nested thousands of levels deep can throw RangeError.
 */
export async function notificationKey(notification: unknown, options: NotificationKeyOptions = {}): Promise<string> {
  const sync = notificationKeySync(notification, options);
  if (sync !== undefined) return sync;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(canonicalJson(keyData(notification, options.fields))),
  );
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, "0");
  return `v1:${hex}`;
}
