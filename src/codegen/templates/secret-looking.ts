/**
 * Heuristics for secrets pasted into a template file. The file and the contract generated from
 * it are committed, so a shared secret there is a leaked secret (facts §6: a secret query
 * parameter is the usual way to authenticate impact.com's unsigned requests).
 */
const SECRET_WORDS = new Set([
  "secret",
  "token",
  "password",
  "passwd",
  "pwd",
  "pass",
  "apikey",
  "key",
  "auth",
  "authorization",
  "signature",
  "sig",
  "hmac",
  "bearer",
  "credential",
  "credentials",
]);

/** `apiKey`, `api_key`, `X-Auth-Token`, `secret` → true; `campaign_id`, `monkey` → false. */
export function isSecretName(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  return words.join("").includes("apikey");
}

/**
 * A long literal that looks generated: at least 20 characters from a token alphabet, letters
 * and digits both present, and many distinct characters (so "impact-partner-network" is not).
 */
export function looksRandom(value: string): boolean {
  if (value.length < 20 || !/^[A-Za-z0-9+/=_.~-]+$/.test(value)) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return new Set(value).size >= 12;
}
