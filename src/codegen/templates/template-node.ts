import type { MacroToken } from "./scan-macros.js";

/**
 * A parsed template: the keys the partner chose, and for every value the text with its macro
 * placeholders. GET and form templates are one flat object of text values; JSON templates may
 * nest objects and arrays and may hold literal numbers, booleans and null.
 */
export type TemplateNode =
  | { readonly type: "object"; readonly entries: readonly TemplateEntry[]; readonly offset: number }
  | { readonly type: "array"; readonly items: readonly TemplateNode[]; readonly offset: number }
  | {
      readonly type: "text";
      /** The value as impact.com receives it in the template, decoded (JSON escapes, percent-encoding). */
      readonly text: string;
      readonly macros: readonly MacroToken[];
      readonly offset: number;
      /** True for a `{Macro}` written without quotes in a JSON template (already reported). */
      readonly unquoted?: boolean;
    }
  | { readonly type: "literal"; readonly value: number | boolean | null; readonly offset: number };

export interface TemplateEntry {
  readonly key: string;
  readonly value: TemplateNode;
  /** Offset of the key in the template text. */
  readonly offset: number;
}
