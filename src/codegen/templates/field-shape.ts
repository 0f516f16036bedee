import type { MacroSpec } from "../../macros/macro-spec.js";

/** What the lint learned about each value of a template; the input of templateToOpenApi. */
export type FieldShape =
  | { readonly type: "object"; readonly members: readonly FieldMember[] }
  | { readonly type: "array"; readonly items: readonly FieldShape[] }
  /** The whole value is one macro: checked with the macro's format. */
  | { readonly type: "macro"; readonly macro: MacroSpec }
  /** Text mixed with macros ("Order {Oid}"): only "is a string" can be checked. */
  | { readonly type: "text"; readonly macros: readonly MacroSpec[] }
  /** No macro: impact.com sends the literal as written. */
  | { readonly type: "const"; readonly value: string | number | boolean | null };

export interface FieldMember {
  readonly key: string;
  /** JSON pointer of the member in the notification, e.g. /payout. */
  readonly pointer: string;
  readonly shape: FieldShape;
  /** False only when listed under "optional": impact.com sends every template key. */
  readonly present: boolean;
  /** True when listed under "required": "" is refused. */
  readonly nonEmpty: boolean;
}
