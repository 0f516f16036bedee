import { describe, expect, test } from "vitest";
import { contractForKind, contractForRoute } from "../../src/contract-for-route.js";

describe("contractForRoute", () => {
  const cases: [string, { method: string; path: string; want: string | undefined }][] = [
    ["GET on the observed template's path", { method: "GET", path: "/webhook/postback-impact", want: "lifecycle-get" }],
    ["one trailing slash is ignored", { method: "get", path: "/webhook/postback-impact/", want: "lifecycle-get" }],
    ["POST on the JSON template's path", { method: "POST", path: "/impact/lifecycle", want: "lifecycle-post" }],
    ["the right path with the other method", { method: "POST", path: "/webhook/postback-impact", want: undefined }],
    ["paths are case-sensitive", { method: "GET", path: "/Webhook/postback-impact", want: undefined }],
    ["an unconfigured path", { method: "GET", path: "/", want: undefined }],
  ];
  test.each(cases)("%s", (_, { method, path, want }) => {
    expect(contractForRoute(method, path)).toBe(want);
  });
});

describe("contractForKind", () => {
  test("one match by kind and delivery", () => {
    expect(contractForKind("action_lifecycle", "POST")).toBe("lifecycle-post");
  });
  test("several matches: says which and how to choose", () => {
    expect(() => contractForKind("action_lifecycle")).toThrowError(/lifecycle-get, lifecycle-post.*pass the delivery/);
  });
  test("no match: says how to add one", () => {
    expect(() => contractForKind("job_completion" as "action_lifecycle")).toThrowError(
      /npx impact-event-notifications generate/,
    );
  });
});
