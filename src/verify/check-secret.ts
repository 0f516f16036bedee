import { matchesAnySecret } from "./constant-time-equal.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { fail, type VerifyFailure } from "./verify-result.js";

const encoder = new TextEncoder();
const CHALLENGE = { "www-authenticate": 'Secret realm="impact.com event notifications"' } as const;

/**
 * Step 2b, authenticity by shared secret (impact.com signs nothing, facts §6). Accepts the secret
 * from the configured query parameter or header; every configured secret is tried (rotation).
 * The query parameter is deleted from `query` so it never reaches the returned notification or
 * the partner's storage. The answer is the same whether the secret is missing, repeated or wrong.
 */
export function checkSecret(
  query: Record<string, unknown>,
  headerValue: string | undefined,
  options: ResolvedVerifyOptions,
): VerifyFailure | undefined {
  const secrets = options.secrets;
  if (secrets === undefined) return undefined;
  let ok = false;
  const name = options.secretParameter;
  if (name !== undefined && Object.hasOwn(query, name)) {
    const value = query[name];
    delete query[name];
    if (typeof value === "string") ok = matchesAnySecret(encoder.encode(value), secrets);
  }
  if (options.secretHeader !== undefined && headerValue !== undefined) {
    ok = matchesAnySecret(encoder.encode(headerValue), secrets) || ok;
  }
  if (ok) return undefined;
  return fail(
    "unauthorized",
    "The shared secret is missing or not accepted. Check the secret in the URL or header configured in impact.com.",
    [],
    CHALLENGE,
  );
}
