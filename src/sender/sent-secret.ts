import { checkSecretPlaces, type SecretOptions } from "../verify/options.js";

/** What the sender adds to every request: one value, in each place the secret names. */
export interface SentSecret {
  readonly value: string;
  readonly queryParameter: string | undefined;
  readonly header: string | undefined;
}

/**
 * The sender's reading of the receiver's {@link SecretOptions}, so one object configures both: it
 * sends the first of `values` (while rotating, list the new secret first; the receiver accepts any
 * of them) in the `queryParameter` and in the `header`, whichever are named. A wrong shape is a
 * TypeError at creation; no message holds the secret's text.
 */
export function sentSecret(secret: SecretOptions): SentSecret {
  if (typeof secret !== "object" || secret === null || "in" in secret) {
    throw new TypeError(
      'secret has the receiver\'s shape: { values: "s3cret", queryParameter: "token" } and/or header: "x-impact-secret".',
    );
  }
  const values: unknown = secret.values;
  const value = typeof values === "string" ? values : Array.isArray(values) ? values[0] : undefined;
  if (typeof value !== "string" || value === "") {
    throw new TypeError("secret.values must hold at least one non-empty string; the sender sends the first.");
  }
  checkSecretPlaces(secret, "the sender put it");
  const { queryParameter, header } = secret;
  if (header !== undefined) {
    try {
      // Fetch's own check: a header name that is a token, a value without control characters.
      new Headers([[header, value]]);
    } catch {
      throw new TypeError(
        'secret.header must be an HTTP header name, e.g. "x-impact-secret", and secret.values[0] a value a header can carry.',
      );
    }
  }
  return { value, queryParameter, header };
}
