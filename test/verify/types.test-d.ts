import { describe, expectTypeOf, test } from "vitest";
import type { ContractName, ContractTypes } from "../../generated/index.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import { type EventNotification, type EventNotificationQuery, verifyRequest } from "../../src/index.js";

describe("verifyRequest types", () => {
  test("a success is narrowed by delivery to the generated types; a failure carries status and code", async () => {
    const result = await verifyRequest(new Request("https://x.example/p"));
    if (!result.ok) {
      expectTypeOf(result.status).toEqualTypeOf<number>();
      expectTypeOf(result.error.issues[0]?.path).toEqualTypeOf<string | undefined>();
      return;
    }
    expectTypeOf(result.contract).toEqualTypeOf<"documented">();
    if (result.delivery === "POST") expectTypeOf(result.notification).toEqualTypeOf<EventNotification>();
    else expectTypeOf(result.notification).toEqualTypeOf<EventNotificationQuery>();
  });

  test("a template contract gives that template's keys only", async () => {
    const result = await verifyRequest(new Request("https://x.example/p"), { contract: "lifecycle-get" });
    if (!result.ok) return;
    expectTypeOf(result.delivery).toEqualTypeOf<"GET">();
    expectTypeOf(result.notification).toEqualTypeOf<ContractTypes["lifecycle-get"]["GET"]>();
    expectTypeOf(result.notification.Payout).toEqualTypeOf<string>();
    // @ts-expect-error the documented key `payout` is not in this template
    result.notification.payout;
  });

  test("routed results narrow by contract", async () => {
    const result = await verifyRequest<ContractName>(new Request("https://x.example/p"), { byRoute: true });
    if (!result.ok) return;
    if (result.contract === "lifecycle-post") {
      expectTypeOf(result.delivery).toEqualTypeOf<"POST">();
      expectTypeOf(result.notification).toEqualTypeOf<ContractTypes["lifecycle-post"]["POST"]>();
    }
  });

  test("handlers receive the contract's notification type", () => {
    createNodeHandler(
      (notification, context) => {
        expectTypeOf(notification).toEqualTypeOf<ContractTypes["lifecycle-get"]["GET"]>();
        expectTypeOf(context.key).toEqualTypeOf<string>();
        expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
      },
      { contract: "lifecycle-get" },
    );
    // @ts-expect-error unknown contract names do not compile
    createNodeHandler(() => undefined, { contract: "nope" });
  });
});
