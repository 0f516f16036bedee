/**
 * The event types a partner can configure (facts sheet §2). The five of the webhook guide
 * (S1, S2) and Product Data Change, which only partner help names (S14).
 */
export const eventKinds = {
  action_lifecycle: {
    title: "Action Lifecycle Events",
    firesWhen: "an action is tracked, modified or reversed (locking and payout do not fire)",
    sources: ["S1", "S9", "S10"],
  },
  action_clearing: {
    title: "Action Clearing Events",
    firesWhen: "actions clear (commission clears to your balance)",
    sources: ["S1", "S8"],
  },
  tracking_value_request: {
    title: "Tracking Value Request Events",
    firesWhen: "a tracking value request (promo code, branded URL, phone number) is created",
    sources: ["S1", "S23"],
  },
  action_inquiry: {
    title: "Action Inquiry Events",
    firesWhen: "an action inquiry is created or resolved (cashback and loyalty partners only)",
    sources: ["S1", "S11", "S12"],
  },
  job_completion: {
    title: "Job Completion Events",
    firesWhen: "a Report Export or Click Export job completes",
    sources: ["S1", "S25"],
  },
  product_data_change: {
    title: "Product Data Change Events",
    firesWhen: "a brand's product catalog you can see changes (e.g. items go out of stock)",
    sources: ["S14"],
  },
} as const satisfies Record<string, { title: string; firesWhen: string; sources: readonly string[] }>;

export type EventKind = keyof typeof eventKinds;

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === "string" && Object.hasOwn(eventKinds, value);
}
