import type { ContractRuntime } from "../contract.js";
import { pointerSegment } from "../pointer.js";
import type { ContractSelector } from "../select-contract.js";
import { tooLarge } from "../verify/check-content-length.js";
import type { BodyFormat } from "../verify/check-media-type.js";
import { decodeFormText, decodeJsonText } from "../verify/decode-body.js";
import type { ResolvedVerifyOptions } from "../verify/options.js";
import { validateBodyStep } from "../verify/validate-step.js";
import { verifyBody } from "../verify/verify-body.js";
import { fail, type VerifyResult } from "../verify/verify-result.js";

function tooDeep(root: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (depth > maxDepth) return true;
    for (const child of Object.values(value as object)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

const encoder = new TextEncoder();

/**
 * Whether `text` is more than `limit` bytes as UTF-8, the size the Uint8Array branch measures.
 * A UTF-16 code unit is 1 to 3 UTF-8 bytes, so only lengths between `limit / 3` and `limit`
 * need encoding to decide.
 */
function exceedsUtf8Bytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return encoder.encode(text).byteLength > limit;
}

/**
 * Verifies a body that a framework's parser already consumed (express.json(), express.raw(),
 * express.text(), express.urlencoded()). Bytes and text go through the full decoding step; an
 * already-parsed object can only be checked for depth, repeated form keys (arrays) and against the
 * contract, because duplicate JSON keys and invalid bytes were resolved by that parser. Anything
 * else is `body_unavailable` (500: a server setup problem, and impact.com will retry once fixed).
 */
export function verifyParsedBody<N extends ContractSelector = "documented">(
  body: unknown,
  format: BodyFormat,
  options: ResolvedVerifyOptions,
  contract: ContractRuntime,
): VerifyResult<N> {
  if (body instanceof Uint8Array) {
    return body.byteLength > options.maxBodyBytes
      ? tooLarge(options.maxBodyBytes)
      : verifyBody<N>(body, format, options, contract);
  }
  if (typeof body === "string") {
    // express.text() read the stream, so the size check the raw path makes happens here.
    if (exceedsUtf8Bytes(body, options.maxBodyBytes)) return tooLarge(options.maxBodyBytes);
    const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
    const decoded = format === "json" ? decodeJsonText(text, options) : decodeFormText(text, options);
    if ("ok" in decoded) return decoded;
    return validateBodyStep<N>(decoded.value, contract, true);
  }
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    if (tooDeep(body, options.maxDepth)) {
      return fail("nesting_too_deep", `The body nests objects or arrays deeper than ${options.maxDepth} levels.`);
    }
    if (format === "form") {
      for (const [key, value] of Object.entries(body)) {
        if (Array.isArray(value)) {
          return fail("duplicate_key", "The form body repeats a key; remove the duplicate from the body template.", [
            {
              path: `/${pointerSegment(key)}`,
              code: "duplicate_key",
              message: "appears more than once",
            },
          ]);
        }
      }
    }
    // A fresh plain object: body-parser may build null-prototype records.
    return validateBodyStep<N>({ ...(body as Record<string, unknown>) }, contract, false);
  }
  return fail(
    "body_unavailable",
    "The request body was consumed by another middleware and is not available. Mount the verifier before body parsers.",
  );
}
