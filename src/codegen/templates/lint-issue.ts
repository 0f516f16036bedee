/**
 * One finding of the template lint. Errors stop `npm run generate`; warnings are printed. The
 * `message` says what is wrong, `fix` says what to do about it, `suggestions` lists near-miss
 * macro or key names.
 *
 * Warnings (the template is valid, but probably not what the partner meant):
 *   - `mixed_value`: text mixed with macros, checked as free text only.
 *   - `amount_as_payout`: `{Amount}` (the order total), or `{DeltaAmount}` / `{IntendedAmount}`,
 *     under a key named like a payout, commission, revenue, earning or reward; what the partner
 *     earns is `{Payout}` (`{DeltaPayout}`, `{IntendedPayout}`). Located at the macro.
 *   - `missing_status`: an `action_lifecycle` template without `{Status}` anywhere (URL or body):
 *     a reversal or modification then looks like a new action. Located at the query or body.
 *   - `missing_action_id`: an `action_lifecycle` template without `{ActionId}` anywhere: the
 *     several notifications of one action cannot be de-duplicated or matched to it. Located at
 *     the query or body. Two codes rather than one, so either can be filtered on its own.
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
  | "amount_as_payout"
  | "missing_status"
  | "missing_action_id"
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
