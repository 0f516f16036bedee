import { fail, type VerifyFailure } from "./verify-result.js";

/**
 * Step 3a, declared size: a `Content-Length` over the limit is refused before a byte of the body
 * is read (RFC 9110 §15.5.14). A body without one (chunked) is cut off while reading instead.
 */
export function checkContentLength(contentLength: string | undefined, maxBodyBytes: number): VerifyFailure | undefined {
  if (contentLength === undefined) return undefined;
  const declared = Number(contentLength);
  if (!(declared > maxBodyBytes)) return undefined;
  return tooLarge(maxBodyBytes);
}

export function tooLarge(maxBodyBytes: number): VerifyFailure {
  return fail(
    "payload_too_large",
    `The body is over the ${maxBodyBytes}-byte limit. A notification is a few KB; check the body template, or raise maxBodyBytes.`,
  );
}
