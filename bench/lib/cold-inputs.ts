/**
 * What the cold-start entries send: impact.com's own POST illustration (S3, S4;
 * test/fixtures/documented/post-documented-example.json) and the route. Alone in their module, so
 * a cold-start bundle does not also build inputs.ts's 100-item bodies at start, which would count
 * in every cold start measured. inputs.ts re-exports both.
 */
export const PATH = "/your-configured-path";

export const item = (i: number) => ({ sku: `APP-${String(i).padStart(4, "0")}`, qty: "1", amt: "719.10" });

export const smallBody = {
  campaign_id: "10306",
  action_id: "1234567890",
  status: "APPROVED",
  payout: "5.00",
  items: [item(16)],
};
