/**
 * Which macros each event kind offers. Product Data Change has no readable macro list at all
 * (facts §11, gap 2; S14): it is empty, and a template for it declares its macros itself.
 */
import { actionInquiryMacros } from "./action-inquiry-macros.js";
import { actionMacros } from "./action-macros.js";
import type { EventKind } from "./event-kinds.js";
import { jobCompletionMacros } from "./job-completion-macros.js";
import type { MacroSpec } from "./macro-spec.js";
import { trackingValueRequestMacros } from "./tracking-value-request-macros.js";

export const macroCatalogue: { readonly [K in EventKind]: readonly MacroSpec[] } = {
  action_lifecycle: actionMacros,
  action_clearing: actionMacros,
  tracking_value_request: trackingValueRequestMacros,
  action_inquiry: actionInquiryMacros,
  job_completion: jobCompletionMacros,
  product_data_change: [],
};

/** The catalogue entry of `{name}` for an event kind; names are case-sensitive (S29). */
export function findMacro(kind: EventKind, name: string): MacroSpec | undefined {
  return macroCatalogue[kind].find((m) => m.name === name);
}
