/**
 * One table of requests, sent to verifyRequest and, over real HTTP on 127.0.0.1, to every
 * adapter (node:http, Express 5, Express 4, Fastify 5, Hono/Fetch, Lambda payload 1.0 and 2.0).
 * Every path must give the same status and problem code.
 */
import type { Server } from "node:http";
import { createServer } from "node:http";
import { serve } from "@hono/node-server";
import express from "express";
import express4 from "express4";
import Fastify, { type FastifyInstance } from "fastify";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createExpressHandler } from "../../src/adapters/express.js";
import { eventNotificationsPlugin } from "../../src/adapters/fastify.js";
import { createFetchHandler } from "../../src/adapters/fetch.js";
import { createLambdaHandler } from "../../src/adapters/lambda.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import type { VerifyOptions } from "../../src/verify/options.js";
import { verifyRequest } from "../../src/verify/verify-request.js";
import { closeServer, listenLocal, type RawRequest, sendRaw } from "../helpers/http.js";
import { lambdaEmulator } from "../helpers/lambda-emulator.js";

const options: VerifyOptions = {
  secret: { values: ["old-secret", "s3cret"], queryParameter: "token", header: "x-impact-secret" },
  ipAllowList: ["127.0.0.0/8", "::1", "203.0.113.0/24"],
  trustedProxies: ["127.0.0.1"],
  maxBodyBytes: 1024,
  maxParameters: 20,
  maxDepth: 8,
};

const q = "campaign_id=25619&action_id=1000.4636.158133&status=APPROVED&payout=100.00";
const json = '{"campaign_id":"25619","action_id":"1000.4636.158133","status":"PENDING","payout":"5.00"}';
const JSON_CT = { "content-type": "application/json" };
const FORM_CT = { "content-type": "application/x-www-form-urlencoded" };
const deep = `{"a":${"[".repeat(10)}${"]".repeat(10)}}`;
const manyParams = Array.from({ length: 25 }, (_, i) => `p${i}=x`).join("&");

type Want = { status: number; code?: string };
/** `differs`: adapters that legitimately decide otherwise, with the reason in the case. */
type Case = [name: string, { given: RawRequest; want: Want; differs?: Record<string, Want> }];

const post = (body: string | Uint8Array, headers: Record<string, string> = JSON_CT, path = "/hook?token=s3cret") => ({
  method: "POST",
  path,
  headers,
  body,
});

const cases: Case[] = [
  ["GET valid, secret in query", { given: { method: "GET", path: `/hook?token=s3cret&${q}` }, want: { status: 200 } }],
  [
    "GET secret in header",
    { given: { method: "GET", path: `/hook?${q}`, headers: { "x-impact-secret": "s3cret" } }, want: { status: 200 } },
  ],
  [
    "GET previous secret (rotation)",
    { given: { method: "GET", path: `/hook?token=old-secret&${q}` }, want: { status: 200 } },
  ],
  [
    "GET wrong secret",
    { given: { method: "GET", path: `/hook?token=nope&${q}` }, want: { status: 401, code: "unauthorized" } },
  ],
  ["GET missing secret", { given: { method: "GET", path: `/hook?${q}` }, want: { status: 401, code: "unauthorized" } }],
  [
    "GET repeated secret",
    {
      given: { method: "GET", path: `/hook?token=s3cret&token=s3cret&${q}` },
      want: { status: 401, code: "unauthorized" },
    },
  ],
  [
    "GET forwarded from a disallowed client",
    {
      given: { method: "GET", path: `/hook?token=s3cret&${q}`, headers: { "x-forwarded-for": "198.51.100.7" } },
      want: { status: 403, code: "forbidden" },
    },
  ],
  [
    "GET forwarded from an allowed client",
    {
      given: {
        method: "GET",
        path: `/hook?token=s3cret&${q}`,
        headers: { "x-forwarded-for": "198.51.100.7, 203.0.113.9" },
      },
      want: { status: 200 },
    },
  ],
  [
    "PUT",
    {
      given: { method: "PUT", path: `/hook?token=s3cret`, headers: JSON_CT, body: json },
      want: { status: 405, code: "method_not_allowed" },
    },
  ],
  [
    "DELETE",
    { given: { method: "DELETE", path: `/hook?token=s3cret` }, want: { status: 405, code: "method_not_allowed" } },
  ],
  [
    "GET invalid payout",
    {
      given: { method: "GET", path: "/hook?token=s3cret&payout=5%2C00" },
      want: { status: 422, code: "invalid_notification" },
    },
  ],
  [
    "GET repeated parameter",
    {
      given: { method: "GET", path: "/hook?token=s3cret&status=A&status=B" },
      want: { status: 422, code: "invalid_notification" },
    },
  ],
  [
    "GET too many parameters",
    {
      given: { method: "GET", path: `/hook?token=s3cret&${manyParams}` },
      want: { status: 413, code: "too_many_parameters" },
    },
  ],
  [
    "GET __proto__ key",
    { given: { method: "GET", path: "/hook?token=s3cret&__proto__=x" }, want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "GET percent-encoded invalid UTF-8",
    {
      given: { method: "GET", path: "/hook?token=s3cret&status=%FF" },
      want: { status: 400, code: "invalid_utf8" },
      // Payload 1.0 carries only API Gateway's decoded values, never the raw query: the bytes are gone.
      differs: { "lambda v1": { status: 200 } },
    },
  ],
  [
    "GET literal % kept",
    { given: { method: "GET", path: "/hook?token=s3cret&status=50%25off%" }, want: { status: 200 } },
  ],
  ["POST JSON", { given: post(json), want: { status: 200 } }],
  [
    "POST JSON charset=UTF-8",
    { given: post(json, { "content-type": "application/json; charset=UTF-8" }), want: { status: 200 } },
  ],
  [
    'POST JSON charset="utf8"',
    { given: post(json, { "content-type": 'application/json;charset="utf8"' }), want: { status: 200 } },
  ],
  [
    "POST JSON charset=iso-8859-1",
    {
      given: post(json, { "content-type": "application/json; charset=iso-8859-1" }),
      want: { status: 415, code: "unsupported_media_type" },
    },
  ],
  [
    "POST text/plain",
    { given: post(json, { "content-type": "text/plain" }), want: { status: 415, code: "unsupported_media_type" } },
  ],
  ["POST without Content-Type", { given: post(json, {}), want: { status: 415, code: "unsupported_media_type" } }],
  [
    "POST JSON with a BOM",
    { given: post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)])), want: { status: 200 } },
  ],
  ["POST form", { given: post(q, FORM_CT), want: { status: 200 } }],
  ["POST form repeated key", { given: post(`${q}&status=X`, FORM_CT), want: { status: 400, code: "duplicate_key" } }],
  [
    "POST form too many parameters",
    { given: post(manyParams, FORM_CT), want: { status: 413, code: "too_many_parameters" } },
  ],
  [
    "POST gzip",
    {
      given: post(json, { ...JSON_CT, "content-encoding": "gzip" }),
      want: { status: 415, code: "unsupported_content_encoding" },
    },
  ],
  [
    "POST Content-Length over the limit",
    { given: post(`{"a":"${"x".repeat(2000)}"}`), want: { status: 413, code: "payload_too_large" } },
  ],
  [
    "POST chunked over the limit",
    {
      given: { ...post(`{"a":"${"x".repeat(4000)}"}`), chunked: true },
      want: { status: 413, code: "payload_too_large" },
    },
  ],
  ["POST chunked within the limit", { given: { ...post(json), chunked: true }, want: { status: 200 } }],
  [
    "POST invalid UTF-8",
    {
      given: post(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])),
      want: { status: 400, code: "invalid_utf8" },
    },
  ],
  ["POST truncated JSON", { given: post(json.slice(0, 40)), want: { status: 400, code: "truncated_json" } }],
  ["POST malformed JSON", { given: post('{"payout": {Payout}}'), want: { status: 400, code: "malformed_json" } }],
  ["POST array root", { given: post("[1,2]"), want: { status: 400, code: "non_object_root" } }],
  ["POST nested too deep", { given: post(deep), want: { status: 400, code: "nesting_too_deep" } }],
  [
    "POST duplicate key",
    { given: post('{"status":"APPROVED","status":"REVERSED"}'), want: { status: 400, code: "duplicate_key" } },
  ],
  [
    "POST __proto__ key",
    { given: post('{"__proto__":{"polluted":"yes"}}'), want: { status: 400, code: "forbidden_key" } },
  ],
  [
    "POST constructor.prototype",
    { given: post('{"constructor":{"prototype":{"x":"1"}}}'), want: { status: 400, code: "forbidden_key" } },
  ],
  ["POST number payout", { given: post('{"payout":5}'), want: { status: 422, code: "invalid_notification" } }],
  ["POST empty JSON body", { given: post(""), want: { status: 400, code: "empty_body" } }],
  [
    "POST wrong secret",
    { given: post(json, JSON_CT, "/hook?token=wrong"), want: { status: 401, code: "unauthorized" } },
  ],
];

function fetchRequest(given: RawRequest): Request {
  const init: RequestInit & { duplex?: "half" } = { method: given.method, headers: given.headers ?? {} };
  if (given.body !== undefined && given.method !== "GET") {
    init.body = typeof given.body === "string" ? given.body : new Uint8Array(given.body);
    init.duplex = "half";
  }
  return new Request(`http://127.0.0.1${given.path}`, init);
}

const received: unknown[] = [];
const onNotification = (notification: unknown) => {
  received.push(notification);
};

const servers: Record<string, string> = {};
const toClose: (() => Promise<void>)[] = [];

async function nodeServer(name: string, server: Server) {
  servers[name] = await listenLocal(server);
  toClose.push(() => closeServer(server));
}

beforeAll(async () => {
  await nodeServer("node:http", createServer(createNodeHandler(onNotification, options)));

  const app5 = express();
  app5.all("/hook", createExpressHandler(onNotification, options));
  await nodeServer("express 5", createServer(app5));

  const app4 = express4();
  app4.all("/hook", createExpressHandler(onNotification, options));
  await nodeServer("express 4", createServer(app4));

  const fastify: FastifyInstance = Fastify();
  await fastify.register(eventNotificationsPlugin, { ...options, prefix: "/hook", onNotification });
  servers["fastify 5"] = await fastify.listen({ port: 0, host: "127.0.0.1" });
  toClose.push(() => fastify.close());

  const hono = new Hono<{ Bindings: { incoming: import("node:http").IncomingMessage } }>();
  const fetchHandler = createFetchHandler(onNotification, options);
  hono.all("/hook", (c) => fetchHandler(c.req.raw, { peerAddress: c.env.incoming.socket.remoteAddress ?? "" }));
  const honoServer = serve({ fetch: hono.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  await new Promise<void>((resolve) =>
    honoServer.listening ? resolve() : honoServer.once("listening", () => resolve()),
  );
  servers["hono (fetch)"] = `http://127.0.0.1:${(honoServer.address() as import("node:net").AddressInfo).port}`;
  toClose.push(() => closeServer(honoServer));

  const lambda = createLambdaHandler(onNotification, options);
  await nodeServer("lambda v1", lambdaEmulator(lambda, "1.0"));
  await nodeServer("lambda v2 / function URL", lambdaEmulator(lambda, "2.0"));
});

afterAll(async () => {
  await Promise.all(toClose.map((close) => close()));
});

describe.each(cases)("%s", (_name, { given, want, differs }) => {
  test("verifyRequest", async () => {
    const result = await verifyRequest(fetchRequest(given), { ...options, peerAddress: "127.0.0.1" });
    expect(result.ok ? 200 : result.status).toBe(want.status);
    expect(result.ok ? undefined : result.error.code).toBe(want.code);
    if (!result.ok && want.status === 405) expect(result.headers?.allow).toBe("GET, POST");
  });

  test("every adapter over HTTP", async () => {
    const verdicts: Record<string, { status: number; code?: string }> = {};
    for (const [adapter, base] of Object.entries(servers)) {
      const res = await sendRaw(base, given);
      const body = res.body === "" ? {} : (JSON.parse(res.body) as { code?: string });
      verdicts[adapter] = res.status === 200 ? { status: 200 } : { status: res.status, code: body.code as string };
      if (want.status === 405) expect(res.headers.allow, adapter).toBe("GET, POST");
      if (res.status >= 400) expect(res.headers["content-type"], adapter).toBe("application/problem+json");
    }
    const expected = Object.fromEntries(
      Object.keys(servers).map((k) => [k, differs?.[k] ?? (want.code === undefined ? { status: 200 } : want)]),
    );
    expect(verdicts).toEqual(expected);
  });
});

test("the secret never reaches the handler, and Object.prototype is untouched", () => {
  expect(received.length).toBeGreaterThan(0);
  for (const notification of received) expect(notification).not.toHaveProperty("token");
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
