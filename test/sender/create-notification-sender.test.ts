/** The sender against a real node:http server on 127.0.0.1:0 that records what arrives. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationSender, IMPACT_USER_AGENT } from "../../src/testing/index.js";
import type { SecretOptions } from "../../src/verify/options.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let base = "";
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      if (req.url?.startsWith("/redirect")) return void res.writeHead(302, { location: "/elsewhere" }).end();
      if (req.url?.startsWith("/slow")) return void setTimeout(() => res.end("late"), 500);
      if (req.url?.startsWith("/huge")) return void res.writeHead(500).end("x".repeat(100_000));
      if (req.url?.startsWith("/reset")) return void res.writeHead(205).end();
      res
        .writeHead(req.url?.includes("payout=bad") ? 422 : 200, { "content-type": "application/json" })
        .end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const last = () => seen.at(-1) as Seen;

describe("createNotificationSender", () => {
  it("sends a GET the way impact.com does: values in the query, no body, its User-Agent", async () => {
    const sender = createNotificationSender({ baseUrl: `${base}/notifications` });
    const result = await sender.send("GET", { campaign_id: "10306", action_id: "1000.4636.158133", payout: "5.00" });
    expect(result).toMatchObject({
      delivered: true,
      status: 200,
      ok: true,
      method: "GET",
      url: `${base}/notifications`,
    });
    expect(result.durationMs).toBeGreaterThan(0);
    expect(last()).toMatchObject({
      method: "GET",
      url: "/notifications?campaign_id=10306&action_id=1000.4636.158133&payout=5.00",
      body: "",
    });
    expect(last().headers["user-agent"]).toBe(IMPACT_USER_AGENT);
    expect(last().headers["accept-encoding"]).toBe("gzip, br");
    expect(last().headers["content-type"]).toBeUndefined();
  });

  it("encodes spaces as %20 and dates with offsets losslessly", async () => {
    const sender = createNotificationSender({ baseUrl: `${base}/n` });
    await sender.send("GET", { CampaignName: "Base44 & co", EventDate: "2026-05-11T00:07:27+03:00" } as never);
    const url = new URL(last().url, base);
    expect(last().url).toContain("CampaignName=Base44%20%26%20co");
    expect(url.searchParams.get("EventDate")).toBe("2026-05-11T00:07:27+03:00");
  });

  it("sends raw query text exactly as given (repeated keys)", async () => {
    await createNotificationSender({ baseUrl: `${base}/n` }).send("GET", "status=APPROVED&status=REVERSED");
    expect(last().url).toBe("/n?status=APPROVED&status=REVERSED");
  });

  it("sends a POST as a JSON body", async () => {
    const body = { payout: "5.00", items: [{ sku: "APP-0016", qty: "1", amt: "719.10" }] };
    const result = await createNotificationSender({ baseUrl: `${base}/n` }).send("POST", body);
    expect(result.status).toBe(200);
    expect(last().method).toBe("POST");
    expect(last().headers["content-type"]).toBe("application/json");
    expect(JSON.parse(last().body)).toEqual(body);
  });

  it("keeps the configured URL's own parameters and adds the first secret in the query, the header or both", async () => {
    await createNotificationSender({
      baseUrl: `${base}/n?src=impact`,
      secret: { values: "s3", queryParameter: "token" },
    }).send("GET", { payout: "5.00" });
    expect(last().url).toBe("/n?src=impact&token=s3&payout=5.00");
    expect(last().headers["x-impact-secret"]).toBeUndefined();
    await createNotificationSender({
      baseUrl: `${base}/n`,
      secret: { values: ["s3"], header: "X-Impact-Secret" },
    }).send("POST", {});
    expect(last().url).toBe("/n");
    expect(last().headers["x-impact-secret"]).toBe("s3");
    await createNotificationSender({
      baseUrl: `${base}/n`,
      secret: { values: ["new", "old"], queryParameter: "token", header: "x-impact-secret" },
    }).send("GET", {});
    expect(last().url).toBe("/n?token=new");
    expect(last().headers["x-impact-secret"]).toBe("new");
  });

  const badSecrets: [string, { given: unknown; want: RegExp }][] = [
    ["the sender's earlier shape", { given: { in: "query", name: "token", value: "Zq9" }, want: /receiver's shape/ }],
    ["no values", { given: { values: [], queryParameter: "token" }, want: /secret\.values/ }],
    ["an empty value", { given: { values: "", header: "x-s" }, want: /secret\.values/ }],
    ["no place", { given: { values: "Zq9" }, want: /queryParameter and\/or header/ }],
    ["an empty parameter name", { given: { values: "Zq9", queryParameter: "" }, want: /secret\.queryParameter/ }],
    ["a header name with a space", { given: { values: "Zq9", header: "x secret" }, want: /secret\.header/ }],
    ["a value no header can carry", { given: { values: "Zq9\ncookie: x", header: "x-s" }, want: /secret\.header/ }],
  ];
  it.each(badSecrets)("refuses a secret at creation, never echoing it: %s", (_name, { given, want }) => {
    const create = () => createNotificationSender({ baseUrl: `${base}/n`, secret: given as SecretOptions });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(want);
    expect(create).not.toThrow(/Zq9/);
  });

  it("reports non-2xx and redirects as they are (no redirect followed)", async () => {
    const sender = createNotificationSender({ baseUrl: `${base}/n` });
    expect((await sender.send("GET", { payout: "bad" })).status).toBe(422);
    const redirect = await createNotificationSender({ baseUrl: `${base}/redirect` }).send("GET", {});
    expect(redirect).toMatchObject({ status: 302, ok: false });
    expect(last().url).toBe("/redirect");
  });

  it("reports a null-body status such as 205 Reset Content as delivered (Fetch spec: null body status)", async () => {
    const result = await createNotificationSender({ baseUrl: `${base}/reset` }).send("GET", { payout: "5.00" });
    expect(result).toMatchObject({ delivered: true, status: 205, ok: true, body: "" });
    expect(result.error).toBeUndefined();
  });

  it("bounds the response body it keeps", async () => {
    const result = await createNotificationSender({ baseUrl: `${base}/huge` }).send("GET", {});
    expect(result.status).toBe(500);
    expect(result.body.length).toBe(16 * 1024);
  });

  it("turns a timeout and a refused connection into data", async () => {
    const slow = await createNotificationSender({ baseUrl: `${base}/slow`, timeoutMs: 50 }).send("GET", {});
    expect(slow).toMatchObject({ delivered: false, status: 0, ok: false, error: { code: "timeout" } });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const address = closed.address();
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const refused = await createNotificationSender({ baseUrl: `http://127.0.0.1:${port}/n` }).send("GET", {});
    expect(refused).toMatchObject({ delivered: false, error: { code: "connection_failed" } });
    expect(refused.error?.message).toContain("ECONNREFUSED");
  });

  it("refuses a non-http URL up front", () => {
    expect(() => createNotificationSender({ baseUrl: "ftp://example.com/" })).toThrow(/http\(s\) URL/);
  });
});
