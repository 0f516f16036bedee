/** Action Inquiry Events: candidates from the ActionInquiry object (facts §3.4, S24). */
import { inferredMacro } from "./inferred-macro.js";
import type { MacroSpec } from "./macro-spec.js";

const m = (...args: Parameters<typeof inferredMacro> extends [string, ...infer R] ? R : never) =>
  inferredMacro("S24", ...args);

export const actionInquiryMacros: readonly MacroSpec[] = [
  m("Id", "digitId", "Action inquiry id", ["15652378"]),
  m("MediaPartnerInquiryId", "text", "The partner's own reference for the inquiry", ["INQ-2026-001"]),
  m("CampaignId", "digitId", "Program (campaign) id", ["25619"]),
  m("CampaignName", "text", "Program display name", ["Base44"]),
  m("OrderId", "text", "Disputed order id", ["ORD-10042"]),
  m("TransactionDate", "dateTime", "When the transaction happened", ["2026-05-11T00:07:27+03:00"]),
  m("TransactionAmount", "decimal", "Order amount (not the partner's earnings)", ["149.90"]),
  m("ExpectedPayout", "decimal", "Payout the partner expects", ["7.50"]),
  m("FinalPayout", "decimal", "Payout granted on resolution", ["7.50"]),
  m("CustomerId", "text", "Customer id", ["C-881"]),
  m("InquiryType", "openEnum", "Why the inquiry was opened", ["UNTRACKED"], ["UNTRACKED", "INCORRECT", "DECLINED"]),
  m("ResolutionStatus", "openEnum", "Outcome", ["UNRESOLVED"], ["UNRESOLVED", "VALID", "DECLINED", "INCOMPLETE"]),
  m(
    "RejectReason",
    "openEnum",
    "Fixed English sentence explaining a rejection",
    ["Other"],
    ["Transaction cannot be traced", "Other"],
  ),
  m("ActionId", "actionId", "Linked action, if found", ["8882.4335"]),
  m("InquiryDate", "dateTime", "When the inquiry was opened", ["2026-05-20T10:00:00-07:00"]),
  m("ResolutionDeadlineDate", "dateTime", "Deadline for the brand", ["2026-06-20T00:00:00-07:00"]),
  m("AutoApprovalDate", "dateTime", "When it is approved automatically", ["2026-06-20T00:00:00-07:00"]),
  m("ResolutionDate", "dateTime", "When it was resolved; empty until then", ["2026-06-01T12:00:00-07:00"]),
  m("CreationDate", "dateTime", "When the record was created", ["2026-05-20T10:00:00-07:00"]),
  m("TrackingLink", "text", "Tracking link used", ["https://example.sjv.io/c/1/2/3"]),
  m("InquiryNotes", "text", "Free-text notes", ["Customer used a coupon site"]),
];
