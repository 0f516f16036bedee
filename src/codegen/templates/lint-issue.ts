/**
 * One finding of the template lint. Errors stop `npm run generate`; warnings are printed. The
 * `message` says what is wrong, `fix` says what to do about it, `suggestions` lists near-miss
 * macro or key names.
 */
export type LintCode =
  | "invalid_config"
  | "invalid_json"
  | "unquoted_macro"
  | "unknown_macro"
  | "duplicate_key"
  | "secret_literal"
  | "macro_in_key"
  | "macro_in_path"
  | "unknown_key"
  | "mixed_value"
  | "duplicate_route";

export interface TemplatePosition {
  /** Which part of the configuration: "url", "body", or a config key such as "kind". */
  readonly field: string;
  /** 1-based line and column inside that field's text (omitted for config keys). */
  readonly line?: number;
  readonly column?: number;
}

export interface LintIssue {
  readonly code: LintCode;
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly fix: string;
  readonly at: TemplatePosition;
  readonly suggestions?: readonly string[];
}
