import type { ContractTypes, documentedTypes } from "../generated/index.js";

/** The POST body of impact.com's documented contract (`EventNotificationPayload`). */
export type EventNotification = documentedTypes.components["schemas"]["EventNotificationPayload"];
/** One line item of a POST body (`EventNotificationItem`). */
export type EventNotificationItem = documentedTypes.components["schemas"]["EventNotificationItem"];
/** The query parameters of impact.com's documented GET notification. */
export type EventNotificationQuery = ContractTypes["documented"]["GET"];
