import { fail, type VerifyFailure } from "./verify-result.js";

const ACCEPT_IDENTITY = { "accept-encoding": "identity" } as const;

/**
 * Step 4b, content coding. Compressed bodies are refused, not inflated: a 64 KiB gzip body can
 * expand a thousandfold, and impact.com is not known to compress requests (it only advertises
 * `Accept-Encoding` for responses, facts §4.1). RFC 9110 §15.5.16 asks for `Accept-Encoding` in
 * the 415 response.
 */
export function checkContentEncoding(contentEncoding: string | undefined): VerifyFailure | undefined {
  if (contentEncoding === undefined) return undefined;
  const value = contentEncoding.trim().toLowerCase();
  if (value === "" || value === "identity") return undefined;
  return fail(
    "unsupported_content_encoding",
    "Compressed request bodies are not accepted; send the body uncompressed (Content-Encoding: identity).",
    [],
    ACCEPT_IDENTITY,
  );
}
