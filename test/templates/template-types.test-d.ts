/**
 * The result type follows the template: a key exists on `notification` exactly when the
 * partner's template has it. `lifecycle-get` (observed GET) has `Payout`, `lifecycle-post` has
 * `payout`, and neither has the other's spelling.
 */
import { describe, expectTypeOf, test } from "vitest";
import { contractForKind } from "../../src/contract-for-route.js";
import { type ValidationFailure, validateEventNotification } from "../../src/validate-event-notification.js";

declare const query: URLSearchParams;
declare const body: unknown;

describe("template contracts narrow the notification type", () => {
  test("GET template: PascalCase keys of the template, every one a string", () => {
    const result = validateEventNotification(query, { contract: "lifecycle-get" });
    if (result.ok) {
      expectTypeOf(result.delivery).toEqualTypeOf<"GET">();
      expectTypeOf(result.notification.Payout).toEqualTypeOf<string>();
      expectTypeOf(result.notification.CampaignName).toEqualTypeOf<string>();
      // @ts-expect-error the observed template has no `payout` (lower case): keys are the partner's
      result.notification.payout;
      // @ts-expect-error nor an ActionId: that template never sends one
      result.notification.ActionId;
    }
  });

  test("POST template: snake_case keys, open enums typed with their known values", () => {
    const result = validateEventNotification(body, { contract: "lifecycle-post", delivery: "POST" });
    if (result.ok) {
      expectTypeOf(result.notification.payout).toEqualTypeOf<string>();
      expectTypeOf(result.notification.status).toEqualTypeOf<"PENDING" | "APPROVED" | "REVERSED" | (string & {})>();
      // @ts-expect-error the POST template has `payout`, not `Payout`
      result.notification.Payout;
      // @ts-expect-error no SubId1 in this template
      result.notification.SubId1;
    }
  });

  test("a GET-only template contract has no POST: such a call can only fail (unsupported_delivery)", () => {
    const result = validateEventNotification(body, { contract: "lifecycle-get", delivery: "POST" });
    expectTypeOf(result).toEqualTypeOf<ValidationFailure>();
  });

  test("the documented contract stays the default, with its optional keys", () => {
    const result = validateEventNotification(query);
    if (result.ok) {
      expectTypeOf(result.notification.payout).toEqualTypeOf<string | undefined>();
      // @ts-expect-error the documented contract has no `Payout`
      result.notification.Payout;
    }
  });

  test("selecting by explicit kind and delivery gives the template's type", () => {
    const contract = contractForKind("action_lifecycle", "GET");
    expectTypeOf(contract).toEqualTypeOf<"lifecycle-get">();
    const result = validateEventNotification(query, { contract });
    if (result.ok) expectTypeOf(result.notification.Payout).toEqualTypeOf<string>();
    expectTypeOf(contractForKind("action_lifecycle")).toEqualTypeOf<"lifecycle-get" | "lifecycle-post">();
    // @ts-expect-error no template is configured for job completion in this repository
    contractForKind("job_completion");
  });
});
