import { tooLarge } from "./check-content-length.js";
import { fail, type VerifyFailure } from "./verify-result.js";

const EMPTY = new Uint8Array(0);

/** The first store a body in pieces gets: a small body split by the network costs one allocation. */
const MIN_STORE = 1024;

/**
 * Step 3b, actual size: reads a Fetch body stream, cancelling it as soon as it passes
 * `maxBodyBytes`, so a chunked body without Content-Length is cut off at the limit and never
 * buffered whole. Memory is bounded by bytes, not by chunks (a client may send one byte per
 * segment): a body in one chunk is that chunk, a body in pieces is copied into one store regrown
 * to twice the bytes received whenever full (at least MIN_STORE, at most `maxBodyBytes`), as the
 * Node reader does (src/adapters/read-node-body.ts).
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | null,
  maxBodyBytes: number,
): Promise<Uint8Array | VerifyFailure> {
  if (body === null) return EMPTY;
  const reader = body.getReader();
  let only: Uint8Array | undefined;
  let store: Uint8Array | undefined;
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const needed = size + value.byteLength;
      if (needed > maxBodyBytes) {
        await reader.cancel().catch(() => undefined);
        return tooLarge(maxBodyBytes);
      }
      if (store === undefined && only === undefined) {
        only = value;
      } else {
        if (store === undefined || needed > store.byteLength) {
          const grown = new Uint8Array(Math.min(maxBodyBytes, Math.max(MIN_STORE, 2 * needed)));
          if (store === undefined) grown.set(only as Uint8Array);
          else grown.set(store.subarray(0, size));
          store = grown;
          only = undefined;
        }
        store.set(value, size);
      }
      size = needed;
    }
  } catch {
    return fail("body_unreadable", "The request body ended unexpectedly; impact.com will retry the delivery.");
  }
  return store !== undefined ? store.subarray(0, size) : (only ?? EMPTY);
}
