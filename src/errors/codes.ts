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
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCodes;

/** RFC 9457 `type` URI of a code: stable and documented in the README's error table. */
export function problemType(code: string): string {
  return `urn:impact-event-notifications:problem:${code}`;
}
