/** Tracking Value Request Events: candidates from the TrackingValueRequest object (facts §3.3, S23). */
import { inferredMacro } from "./inferred-macro.js";
import type { MacroSpec } from "./macro-spec.js";

const m = (...args: Parameters<typeof inferredMacro> extends [string, ...infer R] ? R : never) =>
  inferredMacro("S23", ...args);

export const trackingValueRequestMacros: readonly MacroSpec[] = [
  m("Id", "digitId", "Tracking value request id", ["4521"]),
  m("CampaignId", "digitId", "Program (campaign) id", ["25619"]),
  m("CampaignName", "text", "Program display name", ["Base44"]),
  m("MediaPartnerId", "digitId", "Requesting partner id", ["123456"]),
  m("MediaPartnerName", "text", "Requesting partner name", ["Example Media"]),
  m(
    "RequestType",
    "openEnum",
    "What was requested",
    ["PROMOCODE_TRACKING"],
    ["PROMOCODE_TRACKING", "BRANDED_URL_TRACKING", "PHONE_NUMBER_TRACKING"],
  ),
  m("NumberRequested", "digitId", "How many values were requested", ["1"]),
  m("State", "openEnum", "State of the request", ["NEW"], ["NEW", "APPROVED", "DECLINED", "COMPLETED"]),
  m("DatePlaced", "dateTime", "When the request was placed", ["2026-01-15T10:00:00-08:00"]),
  m("DateNeeded", "dateTime", "When the partner needs it", ["2026-01-20T00:00:00-08:00"]),
  m("DateCompleted", "dateTime", "When the brand completed it; empty until then", ["2026-01-16T09:30:00-08:00"]),
  m("RequestedPromoCode", "text", "Promo code the partner asked for", ["PARTNER10"]),
  m("ApprovedPromoCode", "text", "Promo code the brand approved", ["PARTNER10"]),
  m("CreditPolicy", "openEnum", "Which action gets credit for the code", ["WINNER"], ["ALWAYS", "INVOLVED", "WINNER"]),
];
