/** Express 4 and 5 with body parsers mounted before the verifier: never hangs, same contract verdicts. */
import { createServer, type Server } from "node:http";
import express from "express";
import express4 from "express4";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createExpressHandler, createExpressMiddleware } from "../../src/adapters/express.js";
import { closeServer, listenLocal, sendRaw } from "../helpers/http.js";

const json = '{"action_id":"1000.1.2","status":"APPROVED","payout":"5.00"}';
const form = "action_id=1000.1.2&status=APPROVED&payout=5.00";
type Factory = typeof express;
const flavours: [string, Factory][] = [
  ["express 5", express],
  ["express 4", express4],
];
const servers: Server[] = [];
const bases: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, factory] of flavours) {
    const app = factory();
    const handler = createExpressHandler(() => undefined, { maxBodyBytes: 1024 });
    app.post("/json", factory.json(), handler);
    app.post("/urlencoded", factory.urlencoded({ extended: false }), handler);
    app.post("/both", factory.json(), factory.urlencoded({ extended: false }), handler);
    app.post("/raw", factory.raw({ type: "*/*" }), handler);
    app.post("/text", factory.text({ type: "*/*" }), handler);
    // Consumes the stream and keeps nothing: the verifier must answer, not wait for "end".
    app.post(
      "/swallowed",
      (req, _res, next) => {
        req.on("end", () => next());
        req.resume();
      },
      handler,
    );
    app.post("/middleware", createExpressMiddleware(), (_req, res) => {
      res.status(202).json({ stored: (res.locals.eventNotification as { ok: boolean }).ok });
    });
    const server = createServer(app);
    servers.push(server);
    bases[name] = await listenLocal(server);
  }
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

const cases: [string, { path: string; type: string; body: string; want: number; code?: string }][] = [
  ["json() parsed a valid body", { path: "/json", type: "application/json", body: json, want: 200 }],
  [
    "json() parsed an invalid notification",
    { path: "/json", type: "application/json", body: '{"payout":5}', want: 422, code: "invalid_notification" },
  ],
  [
    "json() skipped a form body (Express 4 sets req.body = {})",
    { path: "/json", type: "application/x-www-form-urlencoded", body: form, want: 200 },
  ],
  [
    "json() skipped a form body with a duplicate key",
    {
      path: "/json",
      type: "application/x-www-form-urlencoded",
      body: `${form}&status=X`,
      want: 400,
      code: "duplicate_key",
    },
  ],
  [
    "urlencoded() parsed a form",
    { path: "/urlencoded", type: "application/x-www-form-urlencoded", body: form, want: 200 },
  ],
  [
    "urlencoded() parsed a repeated key into an array",
    {
      path: "/urlencoded",
      type: "application/x-www-form-urlencoded",
      body: `${form}&status=X`,
      want: 400,
      code: "duplicate_key",
    },
  ],
  [
    "urlencoded() skipped JSON, read raw: duplicate key found",
    { path: "/urlencoded", type: "application/json", body: '{"a":"1","a":"2"}', want: 400, code: "duplicate_key" },
  ],
  ["both parsers, JSON", { path: "/both", type: "application/json", body: json, want: 200 }],
  [
    "raw() bytes get every check",
    { path: "/raw", type: "application/json", body: '{"a":"1","a":"2"}', want: 400, code: "duplicate_key" },
  ],
  [
    "text() string gets every check",
    { path: "/text", type: "application/json", body: '{"a":"1"', want: 400, code: "truncated_json" },
  ],
  [
    "consumed stream, nothing kept",
    { path: "/swallowed", type: "application/json", body: json, want: 500, code: "body_unavailable" },
  ],
  [
    "middleware hands the verdict to the route",
    { path: "/middleware", type: "application/json", body: json, want: 202 },
  ],
];

describe.each(flavours.map(([name]) => name))("%s", (name) => {
  test.each(cases)("%s", async (_label, { path, type, body, want, code }) => {
    const res = await sendRaw(bases[name] as string, { method: "POST", path, headers: { "content-type": type }, body });
    expect(res.status).toBe(want);
    if (code !== undefined) expect((JSON.parse(res.body) as { code: string }).code).toBe(code);
  });
  // Chunked, so no Content-Length to refuse early: the parsed body itself must be measured.
  // "é" is 2 UTF-8 bytes: 600 characters are 1,200 bytes, over the 1,024-byte limit.
  const big = JSON.stringify({ payout: "5.00", pad: "é".repeat(600) });
  test.each(["/raw", "/text"])("%s over maxBodyBytes (chunked) is 413 payload_too_large", async (path) => {
    const res = await sendRaw(bases[name] as string, {
      method: "POST",
      path,
      headers: { "content-type": "application/json" },
      body: big,
      chunked: true,
    });
    expect(res.status).toBe(413);
    expect((JSON.parse(res.body) as { code: string }).code).toBe("payload_too_large");
  });
});
