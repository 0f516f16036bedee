/**
 * Turns ajv's errors into issues a partner can act on. Messages name what a valid value looks
 * like and never repeat the received value (it may be large, or personal data).
 */

import { UNSUBSTITUTED_MACRO_PATTERN } from "../codegen/templates/unsubstituted-macro.js";
import type { ValidatorIssue } from "../contract.js";
import { describePattern } from "../formats.js";
import { pointerSegment, valueAt } from "../pointer.js";
import type { NotificationIssue } from "./problem.js";

/**
 * A contract generated from a template refuses, on every free-text value (text and open-enum
 * macros, mixed text), a value that is a whole `{Macro}` token with
 * `not: { type: "string", pattern: …, "x-impact-unsubstituted": true }`
 * (src/codegen/templates/unsubstituted-macro.ts): impact.com sends a macro it does not know as
 * written. That `not` is the only one the generator emits (the documented contract has none;
 * test/templates/unsubstituted-macro.test.ts checks both), so a failed `not` directly on a
 * property or array-item schema is read as that refusal; a `not` anywhere else (inside `anyOf`,
 * `$defs`, …) keeps ajv's keyword as its code.
 */
const UNSUBSTITUTED = /\/(?:properties\/[^/]+|prefixItems\/[0-9]+)\/not$/;

const UNSUBSTITUTED_MACRO_MESSAGE =
  "is a macro impact.com did not substitute: the value arrived as a {Macro} placeholder, as written in the template. Check the macro's spelling and case in impact.com's template against its macro list; macro names are case-sensitive ({CampaignId}, not {Campaignid})";

/** The whole-`{Macro}` token itself: the same pattern the schemas' `not` holds. */
const MACRO_TOKEN = new RegExp(UNSUBSTITUTED_MACRO_PATTERN, "u");

/**
 * A field whose format already excludes braces (ids, money, dates, currencies) carries no `not`:
 * its `pattern` refuses the token anyway, and on that failure path only the value is looked at,
 * so a valid notification pays nothing for it. `data` is given for template contracts only.
 */
const isUnsubstitutedMacro = (error: ValidatorIssue, data: unknown) =>
  (error.keyword === "not" && UNSUBSTITUTED.test(error.schemaPath)) ||
  (data !== undefined &&
    error.keyword === "pattern" &&
    MACRO_TOKEN.test(String(valueAt(data, error.instancePath) ?? "")));

function message(error: ValidatorIssue): string {
  const p = error.params;
  switch (error.keyword) {
    case "type":
      return p.type === "string"
        ? "must be a string: impact.com sends every value as text, and numbers or booleans are not converted"
        : `must be of type ${String(p.type)}`;
    case "required":
      return "is required by the contract and missing";
    case "pattern":
      return describePattern(String(p.pattern)) ?? `must match the pattern ${String(p.pattern)}`;
    case "enum":
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "additionalProperties":
      return "is not allowed by the contract";
    default:
      // ajv's own messages describe the schema, never the data.
      return error.message ?? `fails the contract's "${error.keyword}" rule`;
  }
}

export function issuesFromValidator(
  errors: readonly ValidatorIssue[],
  repeated: ReadonlySet<string> | undefined,
  /** The data validated, for a contract generated from a template: its values tell an unsubstituted macro. */
  data?: unknown,
): NotificationIssue[] {
  return errors.map((error) => {
    const path =
      error.keyword === "required"
        ? `${error.instancePath}/${pointerSegment(String(error.params.missingProperty))}`
        : error.instancePath;
    if (repeated?.has(path) && error.keyword === "type") {
      return {
        path,
        code: "repeated_parameter",
        message:
          "is repeated in the query string but the contract expects one value; repeated keys are rejected, never resolved (parameter pollution)",
      };
    }
    if (isUnsubstitutedMacro(error, data))
      return { path, code: "unsubstituted_macro", message: UNSUBSTITUTED_MACRO_MESSAGE };
    return { path, code: error.keyword, message: message(error) };
  });
}
