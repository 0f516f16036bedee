import type { Readable } from "node:stream";
import { tooLarge } from "../verify/check-content-length.js";
import { fail, type VerifyFailure } from "../verify/verify-result.js";

const EMPTY = new Uint8Array(0);

/**
 * Reads a Node stream (an IncomingMessage, or Fastify's payload) into bytes, stopping at the
 * limit: once `maxBodyBytes` is passed the stream is paused and 413 returned, so a chunked body
 * is never buffered past the limit (the response then closes the connection). A stream that was
 * already consumed resolves at once instead of waiting forever for an `end` that never comes.
 */
export function readNodeBody(stream: Readable, maxBodyBytes: number): Promise<Uint8Array | VerifyFailure> {
  if (stream.readableEnded || stream.readableDidRead) {
    return Promise.resolve(
      fail(
        "body_unavailable",
        "The request body was already read by other code. Verify the raw request before any body parser runs.",
      ),
    );
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      stream.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        cleanup();
        stream.pause();
        resolve(tooLarge(maxBodyBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 0 ? EMPTY : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      resolve(fail("body_unreadable", "The request body ended unexpectedly; impact.com will retry the delivery."));
    };
    const onClose = () => {
      if (!stream.readableEnded) onError();
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("error", onError);
    stream.on("close", onClose);
  });
}
