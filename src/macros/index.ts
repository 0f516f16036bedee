export { actionInquiryMacros } from "./action-inquiry-macros.js";
export { actionMacros } from "./action-macros.js";
export { editDistance } from "./edit-distance.js";
export { type EventKind, eventKinds, isEventKind } from "./event-kinds.js";
export { jobCompletionMacros } from "./job-completion-macros.js";
export { findMacro, macroCatalogue } from "./macro-catalogue.js";
export type { Evidence, MacroFormat, MacroSpec } from "./macro-spec.js";
export { suggestMacros } from "./suggest-macros.js";
export { trackingValueRequestMacros } from "./tracking-value-request-macros.js";
