/**
 * impact.com leaves a macro it does not know as written: a template with `{subId1}` (wrong case)
 * or `{OID}` (not an impact.com macro) delivers the literal text `{subId1}` or `{OID}`. Every
 * free-text value schema generated from a template (text and open-enum macros, mixed text)
 * refuses a value that is entirely such a token, with `not`, so that the generated ajv validators
 * and Prism (which reads the same OpenAPI document) both refuse it; src/errors/from-validator.ts
 * turns that into the issue code `unsubstituted_macro`. Every other format (ids, money, dates,
 * currencies, uuids) refuses braces by its own pattern, so it carries no `not` (a copy per field
 * doubled a template's validators and cost every valid notification its checks); on that failure
 * the runtime looks at the value and names a whole token `unsubstituted_macro` too.
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
