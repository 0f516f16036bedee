/** The README's tables are claims about the code; these tests keep them true. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { problemCodes, validateEventNotification } from "../src/index.js";
import { readmeTable } from "./helpers/readme-table.js";

const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
const contractsDoc = readFileSync(join(import.meta.dirname, "../docs/contracts.md"), "utf8");

function tableAfter(heading: RegExp, firstColumn: string, text = readme): string[][] {
  const start = text.search(heading);
  if (start === -1) throw new Error(`no ${heading}`);
  return readmeTable(text.slice(start), firstColumn);
}

describe("README", () => {
  test("the decimal grammar table (docs/contracts.md) is what the validator does", () => {
    const rows = tableAfter(/The decimal grammar/, "Value", contractsDoc);
    expect(rows.length).toBeGreaterThanOrEqual(13);
    for (const [value = "", verdict] of rows) {
      const given = value.replace(/^`(.*)`( \(empty\))?$/, "$1");
      const result = validateEventNotification({ payout: given });
      expect(result.ok ? "accepted" : "rejected", JSON.stringify(given)).toBe(verdict);
    }
  });

  test("the error table lists every code with its status, and nothing else", () => {
    const rows = tableAfter(/^## Errors/m, "Code");
    const documented = Object.fromEntries(
      rows.map(([code = "", status]) => [code.replaceAll("`", ""), Number(status)]),
    );
    const actual = Object.fromEntries(Object.entries(problemCodes).map(([code, { status }]) => [code, status]));
    expect(documented).toEqual(actual);
  });

  test("is user-sized, and every docs/ link it gives exists", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(300);
    const links = [...readme.matchAll(/\]\(((?:docs\/)?[\w.-]+\.md)\)/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThanOrEqual(5);
    for (const link of links) expect(existsSync(join(import.meta.dirname, "..", link)), link).toBe(true);
  });

  test("opens with the two set-up commands", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock).toContain("npm install && npm start");
    expect(firstBlock).toContain("npm test");
  });
});
