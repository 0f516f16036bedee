import { describe, expectTypeOf, test } from "vitest";
import type { SecretOptions } from "../../src/index.js";
import { createNotificationSender, type NotificationSenderOptions } from "../../src/testing/index.js";

describe("one secret shape for the sender and the receiver", () => {
  test("the sender's secret is the receiver's SecretOptions", () => {
    expectTypeOf<NonNullable<NotificationSenderOptions["secret"]>>().toEqualTypeOf<SecretOptions>();
  });

  test("the sender's earlier shape does not compile", () => {
    // @ts-expect-error { in, name, value } is gone: { values, queryParameter } and/or header
    createNotificationSender({ baseUrl: "http://127.0.0.1:1/n", secret: { in: "query", name: "token", value: "s" } });
  });
});
