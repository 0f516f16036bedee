/** The verdict-only functions of the Express and Lambda subpaths (the handlers are tested elsewhere). */
import { createServer, type Server } from "node:http";
import express from "express";
import { afterAll, describe, expect, test } from "vitest";
import { verifyExpressRequest } from "../../src/adapters/express.js";
import { toLambdaResponse, verifyLambdaEvent } from "../../src/adapters/lambda.js";
import type { VerifyResult } from "../../src/verify/verify-result.js";
import { closeServer, listenLocal } from "../helpers/http.js";

describe("verifyExpressRequest", () => {
  const verdicts: VerifyResult[] = [];
  const app = express();
  app.all("/impact", (req, res) => {
    void verifyExpressRequest(req).then((result) => {
      verdicts.push(result);
      res.status(204).end();
    });
  });
  const server: Server = createServer(app);
  afterAll(() => closeServer(server));

  test("returns the verdict without answering: valid GET, invalid POST", async () => {
    const base = await listenLocal(server);
    await fetch(`${base}/impact?payout=5.00&status=APPROVED`);
    await fetch(`${base}/impact`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"payout":5}',
    });
    expect(verdicts[0]).toMatchObject({ ok: true, delivery: "GET", notification: { payout: "5.00" } });
    expect(verdicts[1]).toMatchObject({ ok: false, status: 422, error: { issues: [{ path: "/payout" }] } });
  });
});

describe("verifyLambdaEvent and toLambdaResponse", () => {
  test("payload 1.0 with a base64 body, then the proxy result of each verdict", async () => {
    const event = {
      httpMethod: "POST",
      headers: { "Content-Type": "application/json" },
      body: Buffer.from('{"payout":"5.00"}').toString("base64"),
      isBase64Encoded: true,
    };
    const ok = await verifyLambdaEvent(event);
    expect(ok).toMatchObject({ ok: true, delivery: "POST", notification: { payout: "5.00" } });
    expect(toLambdaResponse(ok)).toEqual({
      statusCode: 200,
      headers: { "content-type": "application/json" },
      body: '{"ok":true}',
      isBase64Encoded: false,
    });
    const bad = await verifyLambdaEvent({ ...event, httpMethod: "PUT" });
    const result = toLambdaResponse(bad);
    expect(result.statusCode).toBe(405);
    expect(result.headers).toMatchObject({ allow: "GET, POST", "content-type": "application/problem+json" });
    expect(JSON.parse(result.body)).toMatchObject({ code: "method_not_allowed", status: 405 });
  });
});
