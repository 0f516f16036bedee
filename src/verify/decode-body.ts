import { forbiddenKeyProblem } from "../errors/problem.js";
import type { BodyFormat } from "./check-media-type.js";
import { decodeParameters } from "./decode-parameters.js";
import { decodeUtf8 } from "./decode-utf8.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { parseJson } from "./parse-json.js";
import { fail, failWith, type VerifyFailure } from "./verify-result.js";

/**
 * The decoded body: always a plain object of the same shape for JSON and form bodies, with no
 * prototype-polluting key (JSON: found while parsing; forms: refused by the decoder), so
 * validation need not look for one again.
 */
export interface DecodedBody {
  readonly value: Record<string, unknown>;
}

function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Step 4c, decoding bytes into the notification object.
 * - UTF-8 only, decoded fatally: invalid bytes are `invalid_utf8`, never replaced by U+FFFD.
 * - BOM rule: one leading UTF-8 BOM is skipped (RFC 8259 §8.1 lets parsers ignore it; the
 *   WHATWG "UTF-8 decode" used for forms strips it too). A second BOM is data, so it fails JSON.
 * - JSON: strict parser (parse-json.ts): duplicate keys, `__proto__`, depth and truncation each
 *   have their own code; the root must be an object (impact.com's body is one, facts §4); then a
 *   `constructor.prototype` the parse found is `forbidden_key`, as validation would name it. Depth
 *   is refused here, at `options.maxDepth` (at most `MAX_DEPTH_LIMIT`), so every later step
 *   (validation, `context.key`, the partner's handler) gets a value it can recurse through.
 * - Forms: decoded like a query into `{ key: string }`; a repeated key is `duplicate_key`.
 */
export function decodeBody(
  bytes: Uint8Array,
  format: BodyFormat,
  options: ResolvedVerifyOptions,
): DecodedBody | VerifyFailure {
  const text = decodeUtf8(hasBom(bytes) ? bytes.subarray(3) : bytes);
  if (text === undefined) {
    return fail("invalid_utf8", "The body is not valid UTF-8. Send the body template's values encoded as UTF-8.");
  }
  return format === "json" ? decodeJsonText(text, options) : decodeFormText(text, options);
}

/** `text.trim() === ""`, without calling `trim` when the text starts with printable ASCII (never white space). */
function isBlank(text: string): boolean {
  const first = text.charCodeAt(0);
  return !(first > 32 && first < 127) && text.trim() === "";
}

export function decodeJsonText(text: string, options: ResolvedVerifyOptions): DecodedBody | VerifyFailure {
  if (isBlank(text)) {
    return fail("empty_body", "The POST body is empty. Check that a body template is set in impact.com.");
  }
  const parsed = parseJson(text, options.maxDepth);
  if ("value" in parsed) {
    const value = parsed.value;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return fail(
        "non_object_root",
        'The JSON body must be an object such as {"action_id":"{ActionId}"}; check the body template.',
      );
    }
    if (parsed.forbidden !== undefined) return failWith(forbiddenKeyProblem("notification", parsed.forbidden));
    return { value: value as Record<string, unknown> };
  }
  switch (parsed.error) {
    case "truncated_json":
      return fail(
        "truncated_json",
        "The JSON body ends too early: a quote, brace or bracket is missing. Check the body template.",
      );
    case "malformed_json":
      return fail(
        "malformed_json",
        `The body is not valid JSON (first error at character ${parsed.offset}). Quote every macro, e.g. "payout":"{Payout}".`,
      );
    case "nesting_too_deep":
      return fail("nesting_too_deep", `The JSON body nests objects or arrays deeper than ${options.maxDepth} levels.`);
    case "duplicate_key":
      return fail("duplicate_key", "The JSON body repeats a key; remove the duplicate from the body template.", [
        { path: parsed.path, code: "duplicate_key", message: "appears more than once in its object" },
      ]);
    case "forbidden_key":
      return failWith(forbiddenKeyProblem("body", parsed.path));
  }
}

export function decodeFormText(text: string, options: ResolvedVerifyOptions): DecodedBody | VerifyFailure {
  const decoded = decodeParameters(text, options.maxParameters);
  if ("error" in decoded) return parameterFailure(decoded, "form body", options.maxParameters);
  const [repeated] = decoded.repeated ?? [];
  if (repeated !== undefined) {
    return fail("duplicate_key", "The form body repeats a key; remove the duplicate from the body template.", [
      { path: repeated, code: "duplicate_key", message: "appears more than once" },
    ]);
  }
  return { value: decoded.record };
}

export function parameterFailure(
  error:
    | { readonly error: "too_many_parameters" }
    | { readonly error: "forbidden_key" | "invalid_utf8"; readonly path: string },
  where: string,
  maxParameters: number,
): VerifyFailure {
  switch (error.error) {
    case "too_many_parameters":
      return fail(
        "too_many_parameters",
        `The ${where} has more than ${maxParameters} parameters; nothing was truncated. Check the template, or raise maxParameters.`,
      );
    case "forbidden_key":
      return failWith(forbiddenKeyProblem(where, error.path));
    case "invalid_utf8":
      return fail("invalid_utf8", `The ${where} has percent-encoded bytes that are not UTF-8.`, [
        { path: error.path, code: "invalid_utf8", message: "is not valid UTF-8 once percent-decoded" },
      ]);
  }
}
