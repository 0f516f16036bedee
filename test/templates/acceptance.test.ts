/**
 * Issue 5 acceptance: the two committed templates (openapi/templates/) are real contracts, and the
 * generated validators accept what impact.com sends and reject obvious corruptions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { lintTemplate } from "../../src/codegen/templates/lint-template.js";
import { findMacro } from "../../src/macros/macro-catalogue.js";
import { validateEventNotification } from "../../src/validate-event-notification.js";

const root = join(import.meta.dirname, "..", "..");

// The captured request of facts sheet §4.1 (S16), values decoded as the capture shows them.
const captured: [string, string][] = [
  ["SubId1", "0c6976c6-8f1f-45d5-b2b3-e410fbbe5edf"],
  ["SubId2", ""],
  ["SubId3", ""],
  ["CampaignId", "25619"],
  ["CampaignName", "Base44 "],
  ["ActionTrackerId", "47270"],
  ["ActionTrackerName", "Purchase"],
  ["Amount", "0.00"],
  ["Payout", "100.00"],
  ["EventDate", "2026-05-11T00:07:27+03:00"],
  ["CreationDate", ""],
  ["LockingDate", "2026-06-16T00:00:00+03:00"],
  ["RefClickId", "zLRQ0O29mxyZTyWRlh0tUVu:UkuUkm0HLXyTU40"],
  ["SharedId", ""],
];
const capturedWith = (key: string, value: string) =>
  new URLSearchParams(captured.map(([k, v]): [string, string] => [k, k === key ? value : v]));

describe("the observed GET template (facts §4.1) as contract lifecycle-get", () => {
  test("the captured request validates, values untouched (trailing space, empty strings)", () => {
    const result = validateEventNotification(new URLSearchParams(captured), { contract: "lifecycle-get" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.notification.CampaignName).toBe("Base44 ");
    expect(result.notification.SubId2).toBe("");
    expect(result.notification.CreationDate).toBe("");
    expect(result.notification.Payout).toBe("100.00");
  });

  test("the wire form of the capture (percent-encoded %20 and %2B) validates too", () => {
    const wire =
      "/webhook/postback-impact?SubId1=0c6976c6-8f1f-45d5-b2b3-e410fbbe5edf&SubId2=&SubId3=&CampaignId=25619&CampaignName=Base44%20&ActionTrackerId=47270&ActionTrackerName=Purchase&Amount=0.00&Payout=100.00&EventDate=2026-05-11T00:07:27%2B03:00&CreationDate=&LockingDate=2026-06-16T00:00:00%2B03:00&RefClickId=zLRQ0O29mxyZTyWRlh0tUVu:UkuUkm0HLXyTU40&SharedId=";
    const result = validateEventNotification(wire, { contract: "lifecycle-get" });
    expect(result.ok).toBe(true);
  });

  const rejected: [string, { given: URLSearchParams; path: string; code: string }][] = [
    ["a non-decimal Payout", { given: capturedWith("Payout", "100,00"), path: "/Payout", code: "pattern" }],
    ["a Payout that is a word", { given: capturedWith("Payout", "free"), path: "/Payout", code: "pattern" }],
    [
      "a date without offset",
      { given: capturedWith("EventDate", "2026-05-11T00:07:27"), path: "/EventDate", code: "pattern" },
    ],
    [
      "an unencoded + that decoded to a space in the offset",
      { given: capturedWith("LockingDate", "2026-06-16T00:00:00 03:00"), path: "/LockingDate", code: "pattern" },
    ],
    [
      "an empty Payout (listed under required: must not be empty)",
      { given: capturedWith("Payout", ""), path: "/Payout", code: "pattern" },
    ],
    ["a non-numeric CampaignId", { given: capturedWith("CampaignId", "25619x"), path: "/CampaignId", code: "pattern" }],
    [
      "a missing key of the template",
      {
        given: new URLSearchParams(captured.filter(([k]) => k !== "LockingDate")),
        path: "/LockingDate",
        code: "required",
      },
    ],
    [
      "a repeated key",
      {
        given: (() => {
          const q = new URLSearchParams(captured);
          q.append("Payout", "5.00");
          return q;
        })(),
        path: "/Payout",
        code: "repeated_parameter",
      },
    ],
  ];

  test.each(rejected)("rejects %s", (_, { given, path, code }) => {
    const result = validateEventNotification(given, { contract: "lifecycle-get", allErrors: true });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_notification");
    expect(result.error.status).toBe(422);
    expect(result.error.issues).toContainEqual(expect.objectContaining({ path, code }));
  });

  test("a date without offset is explained, not echoed", () => {
    const result = validateEventNotification(capturedWith("EventDate", "2025-01-02T03:04:05"), {
      contract: "lifecycle-get",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues[0]?.message).toMatch(/UTC offset/);
    expect(JSON.stringify(result.error)).not.toContain("2025-01-02");
  });
});

/** impact.com's substitution: every `{Macro}` replaced by its value as text (facts §4). */
function fill(template: string, value: (macro: string) => string): string {
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_, name: string) => value(name));
}

describe("a POST JSON template with impact.com's documented lifecycle keys, as contract lifecycle-post", () => {
  const config = parseYaml(readFileSync(join(root, "openapi/templates/lifecycle-post.template.yaml"), "utf8")) as {
    body: string;
  };

  test("the template passes the lint", () => {
    expect(lintTemplate(config).issues).toEqual([]);
  });

  test("its own filled-in example validates (catalogue example values, substituted as text)", () => {
    const body = JSON.parse(
      fill(config.body, (name) => findMacro("action_lifecycle", name)?.examples.find((e) => e !== "") ?? ""),
    ) as unknown;
    const result = validateEventNotification(body, { contract: "lifecycle-post", delivery: "POST" });
    expect(result).toMatchObject({ ok: true, delivery: "POST", notices: [] });
    if (!result.ok) return;
    expect(result.notification.payout).toBe("100.00");
    expect(result.notification.action_id).toBe("1000.4636.158133");
  });

  test("the example embedded in the generated contract validates", () => {
    const document = JSON.parse(readFileSync(join(root, "generated/lifecycle-post/openapi.json"), "utf8"));
    const example = document.paths["/impact/lifecycle"].post.requestBody.content["application/json"].example;
    expect(validateEventNotification(example, { contract: "lifecycle-post", delivery: "POST" }).ok).toBe(true);
  });

  test("optional macros may be empty, required ones may not", () => {
    const filled = (overrides: Record<string, string>) =>
      JSON.parse(
        fill(config.body, (name) => overrides[name] ?? findMacro("action_lifecycle", name)?.examples[0] ?? ""),
      ) as unknown;
    const ok = validateEventNotification(filled({ CreationDate: "", DeltaPayout: "", Currency: "" }), {
      contract: "lifecycle-post",
      delivery: "POST",
    });
    expect(ok.ok).toBe(true);
    const bad = validateEventNotification(filled({ Payout: "" }), { contract: "lifecycle-post", delivery: "POST" });
    expect(bad).toMatchObject({ ok: false, error: { issues: [{ path: "/payout", code: "pattern" }] } });
  });

  test("a negative delta is accepted, an unknown status is accepted with a notice", () => {
    const body = JSON.parse(
      fill(config.body, (name) =>
        name === "DeltaPayout"
          ? "-5.00"
          : name === "Status"
            ? "REJECTED"
            : (findMacro("action_lifecycle", name)?.examples[0] ?? ""),
      ),
    ) as unknown;
    const result = validateEventNotification(body, { contract: "lifecycle-post", delivery: "POST" });
    expect(result).toMatchObject({ ok: true, notices: [{ path: "/status", code: "unknown_value" }] });
  });

  test("a number where impact.com sends text is rejected", () => {
    const body = JSON.parse(
      fill(config.body, (name) => findMacro("action_lifecycle", name)?.examples[0] ?? ""),
    ) as Record<string, unknown>;
    body.payout = 100;
    const result = validateEventNotification(body, { contract: "lifecycle-post", delivery: "POST" });
    expect(result).toMatchObject({ ok: false, error: { issues: [{ path: "/payout", code: "type" }] } });
  });
});
