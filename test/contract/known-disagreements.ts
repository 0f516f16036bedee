/**
 * Cases where Prism and this package's validator cannot agree, each with the reason. The
 * contract test still sends these cases to both and asserts both actual verdicts, so a change
 * on either side (a Prism upgrade, a validator change) fails the test and lands here for review.
 * Keyed by case name; applies to every contract that has a fixture of that name.
 */
export type Verdict = "valid" | "invalid";

export interface Disagreement {
  readonly prism: Verdict;
  readonly ours: Verdict;
  readonly reason: string;
}

const pollution =
  "Prism validates against the schema only, and the schema allows any extra key. Refusing `__proto__` and " +
  "`constructor.prototype` is a rule of this runtime (src/input/forbidden-key.ts, as secure-json-parse does for " +
  "fastify), not of the contract, so no OpenAPI document can tell Prism about it.";

const emptyQueryValue =
  "Prism treats an empty query value as an absent parameter (@stoplight/prism-http 5.x, " +
  "dist/validator/deserializers/style/form.js: `if (!values) return undefined`), so `payout=` never meets the " +
  "pattern. This package validates the empty string it received, and the documented contract's decimal grammar " +
  "has no empty alternative. (impact.com does send empty strings for absent macros, facts sheet §4: template " +
  "contracts that allow them are issue 5's.)";

export const knownDisagreements: Readonly<Record<string, Disagreement>> = {
  "get-payout-empty": { prism: "valid", ours: "invalid", reason: emptyQueryValue },
  // Same root cause, the other way round: template contracts declare every template key required
  // with `allowEmptyValue: true`, and Prism still reads `SubId2=` as a missing parameter.
  "get-captured-request": { prism: "invalid", ours: "valid", reason: emptyQueryValue },
  "get-proto-key": { prism: "valid", ours: "invalid", reason: pollution },
  "post-proto-key": { prism: "valid", ours: "invalid", reason: pollution },
  "post-constructor-prototype": { prism: "valid", ours: "invalid", reason: pollution },
};
