/**
 * Every error this package reports, with its HTTP status. Codes are stable API: tests, logs and
 * partners' alerting match on them. The README's error table is generated from this object by
 * test (test/readme.test.ts fails when they disagree).
 */
export const problemCodes = {
  invalid_notification: {
    status: 422,
    title: "The notification does not match its contract",
  },
  forbidden_key: {
    status: 400,
    title: "The notification contains a key that could pollute object prototypes",
  },
  unsupported_delivery: {
    status: 405,
    title: "The contract has no operation for this HTTP method",
  },
  invalid_input: {
    status: 400,
    title: "The value given is not a decoded notification",
  },
  // Request verification (src/verify/). Any non-2xx makes impact.com retry (facts §5), so a 4xx
  // here means "this request will never be accepted as sent"; 5xx means "retry later".
  unknown_route: {
    status: 404,
    title: "No contract is configured for this method and path",
  },
  method_not_allowed: {
    status: 405,
    title: "impact.com delivers notifications with GET or POST only",
  },
  forbidden: {
    status: 403,
    title: "The request does not come from an allowed address",
  },
  unauthorized: {
    status: 401,
    title: "The request does not carry a valid shared secret",
  },
  too_many_parameters: {
    status: 413,
    title: "The query string or form body has more parameters than allowed",
  },
  payload_too_large: {
    status: 413,
    title: "The request body is larger than allowed",
  },
  unsupported_media_type: {
    status: 415,
    title: "The body is not application/json or application/x-www-form-urlencoded in UTF-8",
  },
  unsupported_content_encoding: {
    status: 415,
    title: "The body is compressed or encoded; only identity is accepted",
  },
  body_unreadable: {
    status: 400,
    title: "The request body could not be read to its end",
  },
  invalid_utf8: {
    status: 400,
    title: "The body or query is not valid UTF-8",
  },
  empty_body: {
    status: 400,
    title: "The JSON body is empty",
  },
  malformed_json: {
    status: 400,
    title: "The body is not valid JSON",
  },
  truncated_json: {
    status: 400,
    title: "The JSON body ends before the document is complete",
  },
  non_object_root: {
    status: 400,
    title: "The body is valid JSON but not an object",
  },
  nesting_too_deep: {
    status: 400,
    title: "The JSON body is nested deeper than allowed",
  },
  duplicate_key: {
    status: 400,
    title: "The body repeats a key, so its value is ambiguous",
  },
  body_unavailable: {
    status: 500,
    title: "Another middleware consumed the request body in a form that cannot be verified",
  },
  handler_failed: {
    status: 500,
    title: "The notification handler failed; impact.com will retry",
  },
  handler_timeout: {
    status: 503,
    title: "The notification handler did not finish in time; impact.com will retry",
  },
  inbox_unavailable: {
    status: 503,
    title: "The notification could not be stored in the inbox; impact.com will retry",
  },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCodes;

/** RFC 9457 `type` URI of a code: stable and documented in the README's error table. */
export function problemType(code: string): string {
  return `urn:impact-event-notifications:problem:${code}`;
}
