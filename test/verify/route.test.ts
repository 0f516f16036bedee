import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ContractName } from "../../generated/index.js";
import { createLambdaHandler } from "../../src/adapters/lambda.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import type { NotificationContext } from "../../src/handler/handle-notification.js";
import { verifyRequest } from "../../src/index.js";
import { sampleNotification } from "../../src/samples/sample-notification.js";
import { pathOf } from "../../src/verify/decode-parameters.js";
import { closeServer, listenLocal } from "../helpers/http.js";

// The captured request of facts sheet §4.1, on the route of openapi/templates/lifecycle-get.
const capturedQuery =
  "SubId1=0c6976c6-8f1f-45d5-b2b3-e410fbbe5edf&SubId2=&SubId3=&CampaignId=25619&CampaignName=Base44%20&ActionTrackerId=47270&ActionTrackerName=Purchase&Amount=0.00&Payout=100.00&EventDate=2026-05-11T00:07:27%2B03:00&CreationDate=&LockingDate=2026-06-16T00:00:00%2B03:00&RefClickId=zLRQ0O29mxyZTyWRlh0tUVu:UkuUkm0HLXyTU40&SharedId=";
const lifecycleBody = sampleNotification(
  JSON.parse(readFileSync(join(import.meta.dirname, "../../generated/lifecycle-post/openapi.json"), "utf8")),
  "POST",
  { seed: 3 },
);

describe("pathOf", () => {
  test.each([
    ["/webhook/postback-impact?a=1", "/webhook/postback-impact"],
    ["https://partner.example.com/impact/lifecycle?x#f", "/impact/lifecycle"],
    ["https://partner.example.com?x=1", "/"],
    ["/p#frag", "/p"],
    ["", "/"],
  ])("%s → %s", (url, path) => expect(pathOf(url)).toBe(path));
});

describe("byRoute: one endpoint receives every configured notification", () => {
  const cases: [string, { method: string; url: string; body?: unknown; want: ContractName }][] = [
    [
      "GET on the lifecycle-get route",
      { method: "GET", url: `/webhook/postback-impact?${capturedQuery}`, want: "lifecycle-get" },
    ],
    [
      "POST on the lifecycle-post route",
      { method: "POST", url: "/impact/lifecycle", body: lifecycleBody, want: "lifecycle-post" },
    ],
    [
      "trailing slash is the same route",
      { method: "POST", url: "/impact/lifecycle/", body: lifecycleBody, want: "lifecycle-post" },
    ],
    ["another path falls back to `contract`", { method: "GET", url: "/elsewhere?payout=5.00", want: "documented" }],
    [
      "a route's other method falls back too",
      { method: "POST", url: "/webhook/postback-impact", body: { payout: "5.00" }, want: "documented" },
    ],
  ];

  test.each(cases)("verifyRequest: %s", async (_, { method, url, body, want }) => {
    const request = new Request(`https://partner.example.com${url}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const result = await verifyRequest<ContractName>(request, { byRoute: true });
    expect(result).toMatchObject({ ok: true, contract: want });
  });

  test("without byRoute the configured contract decides", async () => {
    const request = new Request(`https://partner.example.com/webhook/postback-impact?${capturedQuery}&Payout=x`);
    const routed = await verifyRequest<ContractName>(request, { byRoute: true });
    expect(routed.ok).toBe(false); // repeated Payout under lifecycle-get
    const plain = await verifyRequest(
      new Request(`https://partner.example.com/webhook/postback-impact?${capturedQuery}`),
    );
    expect(plain).toMatchObject({ ok: true, contract: "documented" });
  });

  test("a routed result narrows by contract", async () => {
    const result = await verifyRequest<ContractName>(
      new Request(`https://partner.example.com/webhook/postback-impact?${capturedQuery}`),
      { byRoute: true },
    );
    if (!result.ok || result.contract !== "lifecycle-get" || result.delivery !== "GET") throw new Error("not routed");
    expect(result.notification.Payout).toBe("100.00");
    expect(result.notification.CampaignName).toBe("Base44 ");
  });

  describe("over real HTTP through the Node adapter", () => {
    const seen: [string, NotificationContext["contract"]][] = [];
    const server = createServer(
      createNodeHandler<ContractName>(
        (_, context) => {
          seen.push([context.delivery, context.contract]);
        },
        { byRoute: true },
      ),
    );
    let base = "";
    beforeAll(async () => {
      base = await listenLocal(server);
    });
    afterAll(() => closeServer(server));

    test.each(cases)("%s", async (_, { method, url, body, want }) => {
      seen.length = 0;
      const response = await fetch(`${base}${url}`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
      });
      expect(response.status).toBe(200);
      expect(seen).toEqual([[method, want]]);
    });
  });

  test("Lambda payload 2.0 routes by rawPath", async () => {
    const contracts: string[] = [];
    const handler = createLambdaHandler<ContractName>((_, context) => void contracts.push(context.contract), {
      byRoute: true,
    });
    const result = await handler({
      version: "2.0",
      rawPath: "/webhook/postback-impact",
      rawQueryString: capturedQuery,
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: "GET", sourceIp: "127.0.0.1" } },
    });
    expect(result.statusCode).toBe(200);
    expect(contracts).toEqual(["lifecycle-get"]);
  });
});
