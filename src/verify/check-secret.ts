import { headerValueBytes, matchesAnySecret } from "./constant-time-equal.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { fail, type VerifyFailure } from "./verify-result.js";

const encoder = new TextEncoder();
const CHALLENGE = { "www-authenticate": 'Secret realm="impact.com event notifications"' } as const;

/**
 * Step 2b, authenticity by shared secret (impact.com signs nothing, facts §6). The rule, for the
 * places `secret` names (see `SecretOptions`): every place that carries a value carries exactly
 * one value, and it is one of the accepted secrets (rotation); at least one place carries one.
 * Anything else, a wrong or repeated value in either place or no value at all, is the same 401,
 * so a client learns nothing about which place or which secret failed.
 *
 * `parameterValues` are the query parameter's values, which the decoder kept out of the query
 * record, so the secret never reaches the returned notification or the partner's storage; they
 * are already percent-decoded text, compared as UTF-8. `headerValue` is the header as the runtime
 * gives it, a byte string (see `headerValueBytes`); a repeated header arrives joined with ", ",
 * which is never a right value.
 */
export function checkSecret(
  parameterValues: readonly string[] | undefined,
  headerValue: string | undefined,
  options: ResolvedVerifyOptions,
): VerifyFailure | undefined {
  const secrets = options.secrets;
  if (secrets === undefined) return undefined;
  let carried = false;
  let refused = false;
  if (options.secretParameter !== undefined && parameterValues !== undefined && parameterValues.length > 0) {
    carried = true;
    const right =
      parameterValues.length === 1 && matchesAnySecret(encoder.encode(parameterValues[0] as string), secrets);
    refused ||= !right;
  }
  if (options.secretHeader !== undefined && headerValue !== undefined) {
    carried = true;
    const right = matchesAnySecret(headerValueBytes(headerValue), secrets);
    refused ||= !right;
  }
  if (carried && !refused) return undefined;
  return fail(
    "unauthorized",
    "The shared secret is missing or not accepted. Check the secret in the URL or header configured in impact.com.",
    [],
    CHALLENGE,
  );
}
