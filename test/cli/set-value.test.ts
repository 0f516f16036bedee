/** `send --set` on a GET: only the named parameter changes; the rest of a captured query stays byte for byte. */

import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setQueryValue } from "../../src/cli/set-value.js";
import { runCli } from "./cli-process.js";

describe("setQueryValue", () => {
  it.each([
    ["a=1&payout=5.00&b=2", "payout", "1e3", "a=1&payout=1e3&b=2"],
    ["?payout=5.00", "payout", "6.00", "?payout=6.00"],
    // Other parameters keep their own escapes, even ones URLSearchParams would rewrite.
    [
      "name=Base44+x&q=%E9&d=2026-05-11T00:07:27%2B03:00&payout=5.00",
      "payout",
      "5,00",
      "name=Base44+x&q=%E9&d=2026-05-11T00:07:27%2B03:00&payout=5%2C00",
    ],
    // The first of a repeated key takes the value, the others go (URLSearchParams#set).
    ["status=A&x=1&status=B", "status", "REVERSED", "status=REVERSED&x=1"],
    // Matched by the name a server decodes; a missing key is appended, a space sent as %20.
    ["Sub%20Id=1&a=2", "Sub Id", "z", "Sub%20Id=z&a=2"],
    ["a=1", "note", "two words", "a=1&note=two%20words"],
    ["", "payout", "5.00", "payout=5.00"],
    ["a&&b=%ZZ", "b", "1", "a&&b=1"],
  ])("%s with %s=%s gives %s", (query, key, value, expected) => {
    expect(setQueryValue(query, key, value)).toBe(expected);
  });
});

describe("send --fixture … --set on a GET", () => {
  const received: string[] = [];
  const server = createServer((req, res) => {
    received.push(req.url ?? "");
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  let url = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/postback`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the captured query with only the named value changed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ien-set-"));
    const fixture = join(dir, "captured.json");
    const query = "campaign_id=10306&name=Base44+x&q=%E9&date=2026-05-11T00:07:27%2B03:00&payout=5.00";
    writeFileSync(fixture, JSON.stringify({ delivery: "GET", query }));
    const { code, stderr } = await runCli(["send", "--to", url, "--fixture", fixture, "--set", "payout=1e3"]);
    expect(code, stderr).toBe(0);
    expect(received).toEqual([`/postback?${query.replace("payout=5.00", "payout=1e3")}`]);
  });
});
