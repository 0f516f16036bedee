/**
 * One `secret` object configures both ends: the sender (impact-event-notifications/testing) and the
 * receiver (createNodeHandler on node:http, 127.0.0.1). Each case passes the very same object to
 * both; a sender holding a different secret is refused 401.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeHandler } from "../../src/adapters/node.js";
import { createNotificationSender } from "../../src/testing/index.js";
import type { SecretOptions } from "../../src/verify/options.js";
import { closeServer, listenLocal } from "../helpers/http.js";

const cases: [string, { secret: SecretOptions; wrong: SecretOptions }][] = [
  [
    "in the query",
    { secret: { values: "s3cret", queryParameter: "token" }, wrong: { values: "other", queryParameter: "token" } },
  ],
  [
    "in a header",
    {
      secret: { values: "s3cret", header: "x-impact-secret" },
      wrong: { values: "s3cret", header: "x-other-secret" },
    },
  ],
  [
    "in both, while rotating (the sender sends the first, the receiver accepts any)",
    {
      secret: { values: ["new", "old"], queryParameter: "token", header: "x-impact-secret" },
      wrong: { values: ["old-enough", "new"], queryParameter: "token", header: "x-impact-secret" },
    },
  ],
  [
    "in the query, where the right value in a header does not do",
    {
      secret: { values: "s3cret", queryParameter: "token" },
      wrong: { values: "s3cret", header: "x-impact-secret" },
    },
  ],
];

const servers: Server[] = [];
const bases: string[] = [];
const received: unknown[][] = [];

beforeAll(async () => {
  for (const [, { secret }] of cases) {
    const seen: unknown[] = [];
    received.push(seen);
    const server = createServer(createNodeHandler((notification) => void seen.push(notification), { secret }));
    servers.push(server);
    bases.push(await listenLocal(server));
  }
});
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

describe("the sender and the receiver take the same secret object", () => {
  it.each(cases.map(([name, c], i) => [name, c, i] as const))("%s", async (_name, { secret, wrong }, i) => {
    const url = `${bases[i]}/notifications`;
    const notification = { campaign_id: "10306", action_id: "1000.4636.158133", payout: "5.00" };

    const accepted = await createNotificationSender({ baseUrl: url, secret }).send("GET", notification);
    expect(accepted).toMatchObject({ delivered: true, status: 200, ok: true });
    expect(received[i]).toHaveLength(1);
    expect(received[i]?.[0]).toMatchObject(notification);

    const posted = await createNotificationSender({ baseUrl: url, secret }).send("POST", { payout: "5.00" });
    expect(posted.status).toBe(200);

    const refused = await createNotificationSender({ baseUrl: url, secret: wrong }).send("GET", notification);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ code: "unauthorized", status: 401 });
    const bare = await createNotificationSender({ baseUrl: url }).send("GET", notification);
    expect(bare.status).toBe(401);
    expect(received[i]).toHaveLength(2);
  });
});
