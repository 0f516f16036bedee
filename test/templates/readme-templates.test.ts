/** docs/contracts.md "Templates in depth" makes claims about the catalogue and the lint; these keep them true. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { lintTemplate } from "../../src/codegen/templates/lint-template.js";
import { contractForKind, validateEventNotification } from "../../src/index.js";
import { findMacro } from "../../src/macros/index.js";
import { toMinorUnits } from "../../src/money/index.js";

import { readmeTable } from "../helpers/readme-table.js";

const doc = readFileSync(join(import.meta.dirname, "../../docs/contracts.md"), "utf8");
const section = doc.slice(
  doc.indexOf("## Templates in depth"),
  doc.indexOf("\n## ", doc.indexOf("## Templates in depth") + 3),
);

function table(firstColumn: string): string[][] {
  return readmeTable(section, firstColumn);
}

describe("docs/contracts.md: Templates in depth", () => {
  test("has the section", () => {
    expect(section.startsWith("## Templates in depth")).toBe(true);
    expect(section.length).toBeGreaterThan(1000);
  });

  test("the macro table matches the catalogue", () => {
    const rows = table("Macro");
    expect(rows.length).toBeGreaterThanOrEqual(7);
    for (const [macros = "", format = ""] of rows) {
      const want = format.split(/[:,\s]/)[0];
      for (const name of macros.match(/`([A-Za-z0-9]+)`/g) ?? []) {
        const clean = name.replaceAll("`", "");
        expect(findMacro("action_lifecycle", clean)?.format, clean).toBe(want);
      }
    }
  });

  test("every lint code in the table exists and is produced by the lint", () => {
    const codes = table("Code").flatMap(([c = ""]) => c.match(/`([a-z_]+)`/g)?.map((x) => x.replaceAll("`", "")) ?? []);
    expect(codes).toEqual(
      expect.arrayContaining(["invalid_json", "unknown_macro", "unquoted_macro", "duplicate_key", "secret_literal"]),
    );
    const produced = lintTemplate({
      kind: "action_lifecycle",
      method: "POST",
      url: "/x",
      body: '{"a": {Payout}, "b": "{DeltaAmo unt}", "b": "x"}',
    }).issues.map((i) => i.code);
    expect(produced).toEqual(expect.arrayContaining(["unquoted_macro", "duplicate_key", "unknown_macro"]));
  });

  test("the example of the template section", () => {
    const fixture = join(import.meta.dirname, "../fixtures/lifecycle-get/get-captured-request.json");
    const url = new URL("https://you.example.com/webhook/postback-impact");
    url.search = (JSON.parse(readFileSync(fixture, "utf8")) as { query: string }).query;
    const result = validateEventNotification(url.searchParams, { contract: "lifecycle-get" });
    expect(result.ok && result.notification.Payout).toBe("100.00");
    expect(contractForKind("action_lifecycle", "POST")).toBe("lifecycle-post");
    expect(toMinorUnits("100.00")).toBe(10000n);
  });
});
