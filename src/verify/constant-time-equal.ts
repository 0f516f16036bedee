/**
 * Compares a candidate with every accepted secret in time that depends only on their lengths,
 * never on where they differ, and without returning early on the first match. Pure JS so the core
 * runs on Fetch runtimes (node's timingSafeEqual is not available there).
 */
export function matchesAnySecret(candidate: Uint8Array, secrets: readonly Uint8Array[]): boolean {
  let matched = 0;
  for (const secret of secrets) {
    let diff = candidate.length ^ secret.length;
    for (let i = 0; i < secret.length; i++) {
      diff |= (secret[i] as number) ^ (candidate[i % (candidate.length || 1)] ?? 0);
    }
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}
