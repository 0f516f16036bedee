/**
 * `listen` without --contract serves the documented contract on --path and every template
 * contract on the route of its configured URL (openapi/templates/), each validated by its own
 * contract. With --contract, only --path is served.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendRaw } from "../helpers/http.js";
import { type RunningCli, startListen } from "./cli-process.js";

const captured =
  "SubId1=0c6976c6-8f1f-45d5-b2b3-e410fbbe5edf&SubId2=&SubId3=&CampaignId=25619&CampaignName=Base44%20&ActionTrackerId=47270&ActionTrackerName=Purchase&Amount=0.00&Payout=100.00&EventDate=2026-05-11T00:07:27%2B03:00&CreationDate=&LockingDate=2026-06-16T00:00:00%2B03:00&RefClickId=zLRQ0O29mxyZTyWRlh0tUVu:UkuUkm0HLXyTU40&SharedId=";

describe("listen serves template routes", () => {
  let listen: RunningCli & { url: string };
  let origin = "";
  beforeAll(async () => {
    listen = await startListen(["--json"]);
    origin = new URL(listen.url).origin;
  });
  afterAll(async () => {
    await listen?.stop();
  });

  const lines = () =>
    listen
      .stdout()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it.each([
    ["the captured GET on the lifecycle-get route", `/webhook/postback-impact?${captured}`, 200, "lifecycle-get"],
    [
      "a date without offset on that route",
      `/webhook/postback-impact?${captured.replace("%2B03:00", "")}`,
      422,
      undefined,
    ],
    ["the documented GET on --path", "/notifications?payout=5.00", 200, "documented"],
    ["an unknown route", "/nowhere?payout=5.00", 404, undefined],
  ])("%s", async (_, path, status, contract) => {
    const response = await fetch(`${origin}${path}`);
    expect(response.status).toBe(status);
    const requestPath = path.split("?")[0] as string;
    await listen.waitFor(new RegExp(`"path":"${requestPath}","status":${status}`), 5_000);
    const last = lines()
      .filter((l) => l.path === requestPath && l.status === status)
      .at(-1);
    expect(last).toMatchObject(contract === undefined ? { accepted: false } : { accepted: true, contract });
  });
});

describe("listen answers a method no contract of a route receives with 405 and that route's Allow", () => {
  let listen: RunningCli & { url: string };
  beforeAll(async () => {
    listen = await startListen(["--json"]);
  });
  afterAll(async () => {
    await listen?.stop();
  });

  it.each([
    ["PUT", "/webhook/postback-impact", "GET"],
    ["TRACE", "/webhook/postback-impact", "GET"],
    ["OPTIONS", "/impact/lifecycle", "POST"],
    ["HEAD", "/impact/lifecycle", "POST"],
    ["PUT", "/notifications", "GET, POST"],
  ])("%s %s → 405, Allow: %s", async (method, path, allow) => {
    const response = await sendRaw(new URL(listen.url).origin, { method, path });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
  });
});

describe("listen --contract serves only --path", () => {
  it("refuses a template route with 404", async () => {
    const listen = await startListen(["--contract", "documented"]);
    try {
      const response = await fetch(`${new URL(listen.url).origin}/webhook/postback-impact?${captured}`);
      expect(response.status).toBe(404);
    } finally {
      await listen.stop();
    }
  });
});
