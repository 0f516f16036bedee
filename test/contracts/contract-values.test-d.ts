/**
 * Contracts as values: the notification type is inferred from the contract object passed, as
 * openapi-fetch infers from `paths`. `contracts` below is declared exactly as
 * `impact-event-notifications generate` declares it in a project's impact-contracts/index.d.ts.
 */
import { describe, expectTypeOf, test } from "vitest";
import { createExpressHandler } from "../../src/adapters/express.js";
import { createLambdaHandler } from "../../src/adapters/lambda.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import type { Contract } from "../../src/contract.js";
import {
  contractForKind,
  contractForRoute,
  createFetchHandler,
  parseEventNotification,
  validateEventNotification,
  verifyRequest,
} from "../../src/index.js";
import { createNotificationSender } from "../../src/testing/index.js";

type MeQuery = { cid: string; payout: string; txid: string; status: "APPROVED" | (string & {}) };
type ShopBody = { order: { id: string; total: string } };
declare const contracts: {
  readonly me: Contract<
    "me",
    { readonly GET: MeQuery },
    {
      readonly kind: "action_lifecycle";
      readonly delivery: "GET";
      readonly path: "/impact";
      readonly source: "impact/me.template.json";
    }
  >;
  readonly shop: Contract<
    "shop",
    { readonly POST: ShopBody },
    {
      readonly kind: "action_lifecycle";
      readonly delivery: "POST";
      readonly path: "/shop";
      readonly source: "impact/shop.template.yaml";
    }
  >;
  readonly folder: Contract<"folder", { readonly GET: { a?: string } }, undefined>;
};
declare const query: URLSearchParams;
declare const body: unknown;

describe("a contract object types the notification", () => {
  test("validateEventNotification and parseEventNotification", () => {
    const result = validateEventNotification(query, { contract: contracts.me });
    if (result.ok) {
      expectTypeOf(result.contract).toEqualTypeOf<"me">();
      expectTypeOf(result.delivery).toEqualTypeOf<"GET">();
      expectTypeOf(result.notification.payout).toEqualTypeOf<string>();
      // @ts-expect-error the template maps {Payout} under `payout`, so `Payout` is no key
      result.notification.Payout;
    }
    const parsed = parseEventNotification(body, { contract: contracts.shop, delivery: "POST" });
    expectTypeOf(parsed.notification.order.total).toEqualTypeOf<string>();
  });

  test("verifyRequest and every adapter", async () => {
    const verified = await verifyRequest(new Request("https://x.example/impact"), { contract: contracts.me });
    if (verified.ok) expectTypeOf(verified.notification.txid).toEqualTypeOf<string>();
    createNodeHandler(
      (n, context) => {
        expectTypeOf(n.cid).toEqualTypeOf<string>();
        expectTypeOf(context.contract).toEqualTypeOf<"me">();
      },
      { contract: contracts.me },
    );
    createExpressHandler((n) => expectTypeOf(n.order.id).toEqualTypeOf<string>(), { contract: contracts.shop });
    createLambdaHandler((n) => expectTypeOf(n.status).toEqualTypeOf<"APPROVED" | (string & {})>(), {
      contract: contracts.me,
    });
    createFetchHandler((n) => expectTypeOf(n.payout).toEqualTypeOf<string>(), { contract: contracts.me });
  });

  test("a registry routes, and the result is the union of its contracts", async () => {
    const result = await verifyRequest(new Request("https://x.example/shop"), { contracts });
    if (!result.ok) return;
    expectTypeOf(result.contract).toEqualTypeOf<"me" | "shop" | "folder">();
    if (result.contract === "shop") expectTypeOf(result.notification).toEqualTypeOf<ShopBody>();
    createNodeHandler((_n, context) => expectTypeOf(context.contract).toEqualTypeOf<"me" | "shop" | "folder">(), {
      contracts,
    });
  });

  test("contractForRoute and contractForKind over a registry", () => {
    expectTypeOf(contractForRoute("GET", "/impact", contracts)).toEqualTypeOf<
      (typeof contracts)["me"] | (typeof contracts)["shop"] | (typeof contracts)["folder"] | undefined
    >();
    expectTypeOf(contractForKind("action_lifecycle", "POST", contracts)).toEqualTypeOf<(typeof contracts)["shop"]>();
    expectTypeOf(contractForKind("action_lifecycle", undefined, contracts)).toEqualTypeOf<
      (typeof contracts)["me"] | (typeof contracts)["shop"]
    >();
    // @ts-expect-error no template of this registry is configured for job completion
    contractForKind("job_completion", undefined, contracts);
  });

  test("the sender takes a contract object", () => {
    const sender = createNotificationSender({ baseUrl: "http://127.0.0.1:1/impact", contract: contracts.me });
    void sender.send("GET", { cid: "1", payout: "5.00", txid: "1.2", status: "APPROVED" });
    // @ts-expect-error a key the template lacks
    void sender.send("GET", { Payout: "5.00" });
  });

  test("the built-in names still work, and unknown names do not compile", () => {
    const result = validateEventNotification(query, { contract: "lifecycle-get" });
    if (result.ok) expectTypeOf(result.notification.Payout).toEqualTypeOf<string>();
    // @ts-expect-error not a built-in contract: pass the contract object instead
    validateEventNotification(query, { contract: "me" });
  });
});
