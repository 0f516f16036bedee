import { matchesAnySecret } from "./constant-time-equal.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { fail, type VerifyFailure } from "./verify-result.js";

const encoder = new TextEncoder();
const CHALLENGE = { "www-authenticate": 'Secret realm="impact.com event notifications"' } as const;

/**
 * Step 2b, authenticity by shared secret (impact.com signs nothing, facts §6). Accepts the secret
 * from the configured query parameter or header; every configured secret is tried (rotation).
 * `parameterValues` are the query parameter's values, which the decoder kept out of the query
 * record, so the secret never reaches the returned notification or the partner's storage. The
 * answer is the same whether the secret is missing, repeated or wrong.
 */
export function checkSecret(
  parameterValues: readonly string[] | undefined,
  headerValue: string | undefined,
  options: ResolvedVerifyOptions,
): VerifyFailure | undefined {
  const secrets = options.secrets;
  if (secrets === undefined) return undefined;
  let ok = false;
  if (options.secretParameter !== undefined && parameterValues?.length === 1) {
    ok = matchesAnySecret(encoder.encode(parameterValues[0] as string), secrets);
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
