import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { tooLarge } from "../verify/check-content-length.js";
import { fail, type VerifyFailure } from "../verify/verify-result.js";

const EMPTY = new Uint8Array(0);

/** The first store a body in pieces gets: a small body split by the network costs one allocation. */
const MIN_STORE = 1024;

const LONGER_THAN_DECLARED = "The request body is longer than its Content-Length; impact.com will retry the delivery.";

/**
 * The body's declared length, when the stream is the request itself (an IncomingMessage, or the
 * payload Fastify hands over untouched): Node's parser then frames the body by it, so at most that
 * many bytes arrive. A stream of some other kind (a transform in between) says nothing.
 */
function declaredLength(stream: Readable): number | undefined {
  const value = (stream as { headers?: IncomingHttpHeaders }).headers?.["content-length"];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Reads a Node stream (an IncomingMessage, or Fastify's payload) into bytes, stopping at the
 * limit, and calls `done` exactly once: once `maxBodyBytes` is passed the stream is paused and
 * 413 given, so a chunked body is never buffered past the limit (the response then closes the
 * connection). A stream that was already consumed is answered at once instead of waiting forever
 * for an `end` that never comes. Callbacks, not a promise: this runs once per POST on the hot path,
 * and is the one reader of every Node adapter (Node, Express, Fastify, `listen`).
 *
 * Memory is bounded by bytes, not by chunks: a client may send one byte per TCP segment, and a
 * Buffer per segment would cost ~200 B of heap per body byte. So a body in one chunk is that chunk
 * (no copy, the usual POST), and a body in pieces is copied into one store, regrown to twice the
 * bytes received whenever full: at least MIN_STORE, at most its declared length (Content-Length,
 * checked against `maxBodyBytes` before the body is read) or `maxBodyBytes` (chunked). So memory
 * never passes twice the bytes received, the copies add up to about twice the body at most (once
 * when its second piece already brings half of it), and the declared size is never reserved up
 * front: a client could claim it on every connection without sending it.
 */
export function readNodeBody(
  stream: Readable,
  maxBodyBytes: number,
  done: (bytes: Uint8Array | VerifyFailure) => void,
): void {
  if (stream.readableEnded || stream.readableDidRead) {
    done(
      fail(
        "body_unavailable",
        "The request body was already read by other code. Verify the raw request before any body parser runs.",
      ),
    );
    return;
  }
  /** The store's largest size, what the body may hold at most: known once a second piece arrives. */
  let bound = 0;
  /** The body so far: its only chunk (not copied), or a store whose first `size` bytes are it. */
  let held: Buffer | undefined;
  let stored = false;
  let size = 0;
  // Listeners stay attached once settled (removing four costs more than the flag); `settled`
  // keeps a late 'error' or 'close' from answering twice.
  let settled = false;
  const settle = (outcome: Uint8Array | VerifyFailure) => {
    if (settled) return;
    settled = true;
    done(outcome);
  };
  const onData = (chunk: Buffer) => {
    const needed = size + chunk.length;
    // Inline, as below: a shared closure for the two refusals costs the usual body ~0.3 µs.
    if (needed > maxBodyBytes) {
      stream.off("data", onData);
      stream.pause();
      held = undefined;
      settle(tooLarge(maxBodyBytes));
      return;
    }
    if (held === undefined) {
      held = chunk;
    } else {
      if (!stored) {
        const declared = declaredLength(stream);
        bound = declared === undefined || declared > maxBodyBytes ? maxBodyBytes : declared;
      }
      // Node's parser ends the body at its Content-Length; more would be a broken stream.
      if (needed > bound) {
        stream.off("data", onData);
        stream.pause();
        held = undefined;
        settle(fail("body_unreadable", LONGER_THAN_DECLARED));
        return;
      }
      if (!stored || needed > held.length) {
        const store = Buffer.allocUnsafe(Math.min(bound, Math.max(2 * needed, MIN_STORE)));
        held.copy(store, 0, 0, size);
        held = store;
        stored = true;
      }
      chunk.copy(held, size);
    }
    size = needed;
  };
  const onError = () =>
    settle(fail("body_unreadable", "The request body ended unexpectedly; impact.com will retry the delivery."));
  stream.on("data", onData);
  stream.on("end", () => settle(held === undefined ? EMPTY : stored ? held.subarray(0, size) : held));
  stream.on("error", onError);
  stream.on("close", () => {
    if (!stream.readableEnded) onError();
  });
}
