import { describe, expectTypeOf, test } from "vitest";
import {
  type EventNotification,
  type EventNotificationItem,
  type EventNotificationQuery,
  type ProblemCode,
  parseEventNotification,
  validateEventNotification,
} from "../src/index.js";

describe("validateEventNotification types", () => {
  test("a success is narrowed to the generated types", () => {
    const result = validateEventNotification({} as unknown);
    if (!result.ok) {
      expectTypeOf(result.error.code).toEqualTypeOf<ProblemCode>();
      expectTypeOf<"invalid_notification">().toExtend<ProblemCode>();
      expectTypeOf(result.error.issues[0]?.path).toEqualTypeOf<string | undefined>();
      return;
    }
    if (result.delivery === "POST") {
      expectTypeOf(result.notification).toEqualTypeOf<EventNotification>();
      expectTypeOf(result.notification.payout).toEqualTypeOf<string | undefined>();
      expectTypeOf(result.notification.items).toEqualTypeOf<EventNotificationItem[] | undefined>();
    } else {
      expectTypeOf(result.notification).toEqualTypeOf<EventNotificationQuery>();
      // @ts-expect-error items exist only in the POST body
      result.notification.items;
    }
  });

  test("status is an open union: documented values suggested, any string allowed", () => {
    type Status = NonNullable<EventNotification["status"]>;
    expectTypeOf<"APPROVED">().toExtend<Status>();
    expectTypeOf<"SOMETHING_NEW">().toExtend<Status>();
    expectTypeOf<number>().not.toExtend<Status>();
  });

  test("a query input is a GET result", () => {
    const result = validateEventNotification("payout=5.00");
    if (result.ok) {
      expectTypeOf(result.delivery).toEqualTypeOf<"GET">();
      expectTypeOf(result.notification.payout).toEqualTypeOf<string | undefined>();
    }
  });

  test("an explicit delivery narrows the result", () => {
    const post = parseEventNotification({}, { delivery: "POST" });
    expectTypeOf(post.delivery).toEqualTypeOf<"POST">();
    expectTypeOf(post.notification.items).toEqualTypeOf<EventNotificationItem[] | undefined>();
    const get = parseEventNotification({ payout: "1" }, { delivery: "GET" });
    expectTypeOf(get.notification).toEqualTypeOf<EventNotificationQuery>();
  });

  test("options are checked", () => {
    // @ts-expect-error only generated contract names are accepted
    validateEventNotification({}, { contract: "not-a-contract" });
    // @ts-expect-error impact.com only sends GET and POST
    validateEventNotification({}, { delivery: "PUT" });
  });
});
