import { describe, expect, test } from "vitest";
import { valueFormats } from "../../src/formats.js";
import { editDistance } from "../../src/macros/edit-distance.js";
import { eventKinds } from "../../src/macros/event-kinds.js";
import { findMacro, macroCatalogue } from "../../src/macros/macro-catalogue.js";
import { suggestMacros } from "../../src/macros/suggest-macros.js";

const sourceId = /^S[0-9]+c?$/;

describe("macro catalogue", () => {
  test("every event kind of the facts sheet has an entry", () => {
    expect(Object.keys(macroCatalogue).sort()).toEqual(Object.keys(eventKinds).sort());
  });

  const entries = Object.entries(macroCatalogue).flatMap(([kind, macros]) => macros.map((m) => [kind, m] as const));
  test.each(entries.map(([kind, m]) => [`${kind} {${m.name}}`, m] as const))(
    "%s is sourced and self-consistent",
    (_, m) => {
      expect(m.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
      expect(m.sources.length).toBeGreaterThan(0);
      for (const s of m.sources) expect(s).toMatch(sourceId);
      expect(m.evidence.name.length).toBeGreaterThan(0);
      expect(m.evidence.value.length).toBeGreaterThan(0);
      if (m.format === "openEnum") expect(m.knownValues?.length).toBeGreaterThan(0);
      // Text and open enums have no grammar: "" (absent) and any string are valid examples.
      const grammar = m.format === "text" || m.format === "openEnum" ? undefined : valueFormats[m.format];
      for (const example of m.examples) {
        if (grammar !== undefined) expect(new RegExp(grammar.pattern, "u").test(example), example).toBe(true);
      }
    },
  );

  test("names are unique within a kind", () => {
    for (const macros of Object.values(macroCatalogue)) {
      const names = macros.map((m) => m.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  // Facts sheet §3.1: the observed and documented lifecycle macros and their formats.
  const lifecycle: [string, string][] = [
    ["CampaignId", "digitId"],
    ["ActionId", "actionId"],
    ["Payout", "decimal"],
    ["DeltaPayout", "decimal"],
    ["Amount", "decimal"],
    ["EventDate", "dateTime"],
    ["Currency", "currency"],
    ["Status", "openEnum"],
    ["CampaignName", "text"],
    ["RefClickId", "text"],
  ];
  test.each(lifecycle)("action_lifecycle {%s} is %s", (name, format) => {
    expect(findMacro("action_lifecycle", name)?.format).toBe(format);
  });

  test("Amount and Payout say which is whose money", () => {
    expect(findMacro("action_lifecycle", "Amount")?.meaning).toMatch(/NOT the partner's earnings/);
    expect(findMacro("action_lifecycle", "Payout")?.meaning).toMatch(/your earnings/);
  });

  test("job ids are UUIDs, names are case-sensitive", () => {
    expect(findMacro("job_completion", "Id")?.format).toBe("uuid");
    expect(findMacro("action_lifecycle", "payout")).toBeUndefined();
  });
});

describe("near-miss suggestions", () => {
  const cases: [string, { given: string; want: string[] }][] = [
    ["space inside the name (impact.com's docs)", { given: "DeltaAmo unt", want: ["DeltaAmount"] }],
    ["wrong case", { given: "Campaignid", want: ["CampaignId"] }],
    ["transposed letters", { given: "Payuot", want: ["Payout"] }],
    ["one letter missing", { given: "EvntDate", want: ["EventDate"] }],
    ["nothing close", { given: "Banana", want: [] }],
  ];
  const names = macroCatalogue.action_lifecycle.map((m) => m.name);
  test.each(cases)("%s", (_, { given, want }) => {
    expect(suggestMacros(given, names).slice(0, want.length)).toEqual(want);
    if (want.length === 0) expect(suggestMacros(given, names)).toEqual([]);
  });

  test("edit distance counts a transposition as one edit", () => {
    expect(editDistance("Payuot", "Payout")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});
