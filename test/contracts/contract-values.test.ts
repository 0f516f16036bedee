/**
 * Contracts as values at run time: a contract object (as a project's generated folder or
 * compileTemplate gives it) and a registry of them work in every entry point, over real HTTP
 * where an adapter is involved. The objects here are the built-in contracts under other names,
 * so a result naming "me" proves the object, not the built-in name, was used.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { contracts as builtIn } from "../../generated/index.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import type { Contract, ContractRuntime } from "../../src/contract.js";
import {
  contractForKind,
  contractForRoute,
  createFetchHandler,
  validateEventNotification,
  verifyRequest,
} from "../../src/index.js";
import { sampleNotification } from "../../src/samples/sample-notification.js";
import { closeServer, listenLocal, sendRaw } from "../helpers/http.js";

const renamed = (c: ContractRuntime, name: string, path?: string): Contract =>
  ({
    ...c,
    name,
    ...(c.template === undefined || path === undefined ? {} : { template: { ...c.template, path } }),
  }) as Contract;
const me = renamed(builtIn["lifecycle-get"], "me", "/impact");
const shop = renamed(builtIn["lifecycle-post"], "shop", "/shop");
const registry = { me, shop };

const captured =
  "SubId1=0c6976c6&SubId2=&SubId3=&CampaignId=25619&CampaignName=Base44&ActionTrackerId=47270&ActionTrackerName=Purchase&Amount=0.00&Payout=100.00&EventDate=2026-05-11T00:07:27%2B03:00&CreationDate=&LockingDate=2026-06-16T00:00:00%2B03:00&RefClickId=z&SharedId=";
const shopBody = sampleNotification(
  JSON.parse(readFileSync(join(import.meta.dirname, "../../generated/lifecycle-post/openapi.json"), "utf8")),
  "POST",
  { seed: 5 },
);
const post = (path: string, body: unknown) =>
  new Request(`https://partner.example${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });

describe("one contract object", () => {
  test("validateEventNotification reports the object's name and applies its schema", () => {
    expect(validateEventNotification(captured, { contract: me })).toMatchObject({ ok: true, contract: "me" });
    const bad = validateEventNotification(captured.replace("Payout=100.00", "Payout=5,00"), { contract: me });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_notification", issues: [{ path: "/Payout" }] } });
    expect(validateEventNotification(shopBody, { contract: me, delivery: "POST" })).toMatchObject({
      ok: false,
      error: { code: "unsupported_delivery" },
    });
  });

  test("something that is not a contract is a TypeError that says how to get one", () => {
    for (const wrong of [{}, { name: "x", operations: {} }, { name: "x", operations: { GET: { validate: 1 } } }, 3]) {
      expect(() => validateEventNotification("", { contract: wrong as never })).toThrow(
        /npx impact-event-notifications generate/,
      );
    }
  });

  test("verifyRequest checks a request against it", async () => {
    const ok = await verifyRequest(new Request(`https://partner.example/anywhere?${captured}`), { contract: me });
    expect(ok).toMatchObject({ ok: true, contract: "me", delivery: "GET" });
    const wrongMethod = await verifyRequest(post("/anywhere", shopBody), { contract: me });
    expect(wrongMethod).toMatchObject({ ok: false, status: 405, headers: { allow: "GET" } });
  });
});

describe("a secret in the query of a template's URL", () => {
  const secret = { values: "pk_live_7Hq2", queryParameter: "key" };
  test("is checked and taken out of the notification", async () => {
    const request = new Request(`https://partner.example/impact?key=pk_live_7Hq2&${captured}`);
    const result = await verifyRequest(request, { contract: me, secret });
    expect(result).toMatchObject({ ok: true, contract: "me" });
    if (result.ok) expect(Object.keys(result.notification as object)).not.toContain("key");
  });
  test("a wrong one is 401 before the contract is checked", async () => {
    const request = new Request(`https://partner.example/impact?key=pk_live_other&${captured}`);
    expect(await verifyRequest(request, { contract: me, secret })).toMatchObject({ ok: false, status: 401 });
  });
});

describe("a registry routes each request to its contract", () => {
  test.each([
    [
      "GET on me's route",
      () => new Request(`https://partner.example/impact?${captured}`),
      { ok: true, contract: "me" },
    ],
    ["POST on shop's route", () => post("/shop/", shopBody), { ok: true, contract: "shop" }],
    [
      "POST on me's route: 405 with me's Allow",
      () => post("/impact", shopBody),
      { status: 405, headers: { allow: "GET" } },
    ],
    [
      "a path no contract is configured for: 404",
      () => new Request(`https://partner.example/elsewhere?${captured}`),
      { status: 404, error: { code: "unknown_route" } },
    ],
  ])("%s", async (_, request, want) => {
    expect(await verifyRequest(request(), { contracts: registry })).toMatchObject(want);
  });

  test("with `contract` too, unrouted requests fall back to it", async () => {
    // Two kinds of selector in one call: name the union, TypeScript infers one candidate only.
    const result = await verifyRequest<Contract | "documented">(
      new Request("https://partner.example/elsewhere?payout=5.00"),
      {
        contracts: registry,
        contract: "documented",
      },
    );
    expect(result).toMatchObject({ ok: true, contract: "documented" });
  });

  test("a registry holding something else is refused when the options are first used", () => {
    const request = new Request("https://x.example/");
    expect(() => verifyRequest(request, { contracts: { me, bad: {} as never } })).toThrow(/contracts\.bad/);
    expect(() => verifyRequest(request, { contracts: {} })).toThrow(/holds no contract/);
  });

  test("contractForRoute and contractForKind return the registry's objects", () => {
    expect(contractForRoute("GET", "/impact/", registry)).toBe(me);
    expect(contractForRoute("POST", "/impact", registry)).toBeUndefined();
    expect(contractForKind("action_lifecycle", "POST", registry)).toBe(shop);
    expect(() => contractForKind("action_lifecycle", undefined, registry)).toThrow(/me, shop/);
  });

  test("the Fetch handler routes too", async () => {
    const seen: string[] = [];
    const handler = createFetchHandler((_n, context) => void seen.push(context.contract), { contracts: registry });
    expect((await handler(post("/shop", shopBody))).status).toBe(200);
    expect((await handler(new Request(`https://partner.example/impact?${captured}`))).status).toBe(200);
    expect(seen).toEqual(["shop", "me"]);
  });
});

describe("the Node adapter over real HTTP with a registry", () => {
  const seen: string[] = [];
  const server = createServer(
    createNodeHandler((_n, context) => void seen.push(context.contract), { contracts: registry }),
  );
  let base = "";
  beforeAll(async () => {
    base = await listenLocal(server);
  });
  afterAll(() => closeServer(server));

  test("each route gets its contract; other paths 404 with a problem body", async () => {
    expect((await fetch(`${base}/impact?${captured}`)).status).toBe(200);
    const shopResponse = await fetch(`${base}/shop`, {
      method: "POST",
      body: JSON.stringify(shopBody),
      headers: { "content-type": "application/json" },
    });
    expect(shopResponse.status).toBe(200);
    const missing = await fetch(`${base}/nowhere?${captured}`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ code: "unknown_route", status: 404 });
    expect(seen).toEqual(["me", "shop"]);
  });

  test.each(["PUT", "TRACE", "OPTIONS", "HEAD", "DELETE"])(
    "%s on a contract's route is 405 with that route's Allow, never 404",
    async (method) => {
      const response = await sendRaw(base, { method, path: "/impact" });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("GET");
      const other = await sendRaw(base, { method, path: "/shop" });
      expect(other.headers.allow).toBe("POST");
    },
  );
});
