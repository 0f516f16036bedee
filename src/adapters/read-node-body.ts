import type { Readable } from "node:stream";
import { tooLarge } from "../verify/check-content-length.js";
import { fail, type VerifyFailure } from "../verify/verify-result.js";

const EMPTY = new Uint8Array(0);

/**
 * Reads a Node stream (an IncomingMessage, or Fastify's payload) into bytes, stopping at the
 * limit, and calls `done` exactly once: once `maxBodyBytes` is passed the stream is paused and
 * 413 given, so a chunked body is never buffered past the limit (the response then closes the
 * connection). A stream that was already consumed is answered at once instead of waiting forever
 * for an `end` that never comes. Callbacks, not a promise: this runs once per POST on the hot path.
 */
export function readNodeBodyThen(
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
  let chunks: Buffer | Buffer[] | undefined;
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
    size += chunk.length;
    if (size > maxBodyBytes) {
      stream.off("data", onData);
      stream.pause();
      chunks = undefined;
      settle(tooLarge(maxBodyBytes));
      return;
    }
    if (chunks === undefined) chunks = chunk;
    else if (Array.isArray(chunks)) chunks.push(chunk);
    else chunks = [chunks, chunk];
  };
  const onError = () =>
    settle(fail("body_unreadable", "The request body ended unexpectedly; impact.com will retry the delivery."));
  stream.on("data", onData);
  stream.on("end", () =>
    settle(chunks === undefined ? EMPTY : Array.isArray(chunks) ? Buffer.concat(chunks, size) : chunks),
  );
  stream.on("error", onError);
  stream.on("close", () => {
    if (!stream.readableEnded) onError();
  });
}

/** `readNodeBodyThen` as a promise. */
export function readNodeBody(stream: Readable, maxBodyBytes: number): Promise<Uint8Array | VerifyFailure> {
  return new Promise((resolve) => readNodeBodyThen(stream, maxBodyBytes, resolve));
}
