export { type EventKind, eventKinds } from "./event-kinds.js";
export { findMacro, macroCatalogue } from "./macro-catalogue.js";
export type { Evidence, MacroFormat, MacroSpec } from "./macro-spec.js";
export { suggestMacros } from "./suggest-macros.js";
