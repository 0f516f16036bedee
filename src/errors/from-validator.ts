/**
 * Turns ajv's errors into issues a partner can act on. Messages name what a valid value looks
 * like and never repeat the received value (it may be large, or personal data).
 */
import type { ValidatorIssue } from "../contract.js";
import { describePattern } from "../formats.js";
import { pointerSegment } from "../pointer.js";
import type { NotificationIssue } from "./problem.js";

/**
 * A contract generated from a template refuses, on every macro and text value, a value that is a
 * whole `{Macro}` token with `not: { type: "string", pattern: …, "x-impact-unsubstituted": true }`
 * (src/codegen/templates/unsubstituted-macro.ts): impact.com sends a macro it does not know as
 * written. That `not` is the only one the generator emits (the documented contract has none;
 * test/templates/unsubstituted-macro.test.ts checks both), so a failed `not` directly on a
 * property or array-item schema is read as that refusal; a `not` anywhere else (inside `anyOf`,
 * `$defs`, …) keeps ajv's keyword as its code.
 */
const UNSUBSTITUTED = /\/(?:properties\/[^/]+|prefixItems\/[0-9]+)\/not$/;

const UNSUBSTITUTED_MACRO_MESSAGE =
  "is a macro impact.com did not substitute: the value arrived as a {Macro} placeholder, as written in the template. Check the macro's spelling and case in impact.com's template against its macro list; macro names are case-sensitive ({CampaignId}, not {Campaignid})";

const isUnsubstitutedMacro = (error: ValidatorIssue) => error.keyword === "not" && UNSUBSTITUTED.test(error.schemaPath);

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
    if (isUnsubstitutedMacro(error)) return { path, code: "unsubstituted_macro", message: UNSUBSTITUTED_MACRO_MESSAGE };
    return { path, code: error.keyword, message: message(error) };
  });
}
