import { tooLarge } from "./check-content-length.js";
import { fail, type VerifyFailure } from "./verify-result.js";

const EMPTY = new Uint8Array(0);

/**
 * Step 3b, actual size: reads a Fetch body stream, cancelling it as soon as it passes
 * `maxBodyBytes`, so a chunked body without Content-Length is cut off at the limit and never
 * buffered whole.
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | null,
  maxBodyBytes: number,
): Promise<Uint8Array | VerifyFailure> {
  if (body === null) return EMPTY;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBodyBytes) {
        await reader.cancel().catch(() => undefined);
        return tooLarge(maxBodyBytes);
      }
      chunks.push(value);
    }
  } catch {
    return fail("body_unreadable", "The request body ended unexpectedly; impact.com will retry the delivery.");
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
