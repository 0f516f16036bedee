import { editDistance } from "./edit-distance.js";

/**
 * Near-miss names for an unknown macro, best first. Case and whitespace are compared loosely
 * first (the docs print `{DeltaAmo unt}`; `{Campaignid}` differs only in case), then by edit
 * distance, allowing about one edit per four characters.
 */
export function suggestMacros(name: string, known: readonly string[], limit = 3): string[] {
  const loose = (s: string) => s.replace(/\s+/g, "").toLowerCase();
  const target = loose(name);
  const scored = known
    .map((candidate) => {
      const exactLoose = loose(candidate) === target;
      return { candidate, score: exactLoose ? 0 : editDistance(target, loose(candidate)) };
    })
    .filter(({ candidate, score }) => score <= Math.max(1, Math.floor(Math.max(target.length, candidate.length) / 4)))
    .sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return [...new Set(scored.map((s) => s.candidate))].slice(0, limit);
}
