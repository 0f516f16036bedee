/**
 * impact.com leaves a macro it does not know as written: a template with `{subId1}` (wrong case)
 * or `{OID}` (not an impact.com macro) delivers the literal text `{subId1}` or `{OID}`. Every
 * string value schema generated from a template refuses a value that is entirely such a token,
 * with `not` so that the generated ajv validators and Prism (which reads the same OpenAPI
 * document) both refuse it. ajv evaluates untyped keywords such as `not` before the string
 * keywords (`pattern`), so a first-error validator reports the `not` even for a digit-id field;
 * src/errors/from-validator.ts turns it into the issue code `unsubstituted_macro`.
 *
 * The token is what the lint itself calls a macro (scan-macros.ts): braces around 1 to 64
 * characters without braces, quotes, backslashes or line breaks. So `{"a":1}` or `{}` sent as a
 * free-text value stays accepted, as does text with braces inside (`order {x} done`). Anchored,
 * one bounded character class, no nested quantifier: linear time (test/redos/ checks it).
 */
export const UNSUBSTITUTED_MACRO_PATTERN = '^\\{[^{}"\\\\\\r\\n]{1,64}\\}$';

/** Annotation keyword marking the refusal in the contract (declared for ajv's strict mode by emit-validators). */
export const UNSUBSTITUTED_MACRO_KEYWORD = "x-impact-unsubstituted";

type Schema = Record<string, unknown>;

/** `schema` (a string value schema) that also refuses a whole unsubstituted `{Macro}`. */
export function refuseUnsubstitutedMacro(schema: Schema): Schema {
  return {
    ...schema,
    not: {
      [UNSUBSTITUTED_MACRO_KEYWORD]: true,
      type: "string",
      pattern: UNSUBSTITUTED_MACRO_PATTERN,
    },
  };
}
