/**
 * Contract tests against the real Prism mock (no mocks): every case of every contract in
 * generated/ is sent by the typed sender to Prism serving that contract's bundled OpenAPI
 * document, and Prism's verdict (2xx or 422) must equal validateEventNotification's. Where the
 * two cannot agree, known-disagreements.ts says why, and both actual verdicts are asserted.
 */
import { describe, expect, it } from "vitest";
import { contracts } from "../../generated/index.js";
import { contractNames } from "../../src/cli/package-root.js";
import type { ContractRuntime } from "../../src/contract.js";
import { validateEventNotification } from "../../src/index.js";
import { createNotificationSender } from "../../src/testing/index.js";
import { usePrism } from "../helpers/prism.js";
import { corpus, type FixtureCase } from "./corpus.js";
import { knownDisagreements, type Verdict } from "./known-disagreements.js";

const runtimes = contracts as Record<string, ContractRuntime>;
const used = new Set<string>();

function ourVerdict(c: FixtureCase) {
  const input = c.delivery === "GET" ? c.query : c.body;
  return validateEventNotification(input, { contract: c.contract as "documented", delivery: c.delivery });
}

/** Prism's request-validation problem: `validation[].location` like ["body", "items", "0", "qty"]. */
function prismPaths(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { validation?: { location?: string[] }[] };
    return (parsed.validation ?? []).map((v) => `/${(v.location ?? []).slice(1).join("/")}`.replace(/\/$/, ""));
  } catch {
    return [];
  }
}

const contractList = contractNames();

it("finds every contract of generated/", () => {
  expect(contractList).toEqual(Object.keys(runtimes).sort());
  expect(contractList).toContain("documented");
});

for (const contract of contractList) {
  describe(`contract "${contract}" on the real Prism`, () => {
    const prism = usePrism(contract);
    const cases = corpus(contract);

    it("has valid and invalid cases for each delivery the contract has", () => {
      for (const delivery of Object.keys(runtimes[contract]?.operations ?? {})) {
        const of = cases.filter((c) => c.delivery === delivery);
        expect(
          of.some((c) => c.valid),
          `${delivery} valid`,
        ).toBe(true);
        expect(
          of.some((c) => !c.valid),
          `${delivery} invalid`,
        ).toBe(true);
      }
    });

    it.each(cases.map((c) => [`${c.delivery} ${c.name}`, c] as const))("%s", async (_, c) => {
      const operation = runtimes[contract]?.operations[c.delivery];
      if (operation === undefined) throw new Error(`${c.source}: contract "${contract}" has no ${c.delivery}`);
      const sender = createNotificationSender({ baseUrl: `${prism.url}${operation.path}` });
      const sent =
        c.delivery === "GET"
          ? await sender.send("GET", c.query ?? "")
          : await sender.send("POST", JSON.stringify(c.body));
      expect([200, 202, 422], `Prism answered ${sent.status}: ${sent.body}`).toContain(sent.status);
      const prismSays: Verdict = sent.ok ? "valid" : "invalid";
      const result = ourVerdict(c);
      const oursSays: Verdict = result.ok ? "valid" : "invalid";

      const disagreement = knownDisagreements[c.name];
      if (disagreement === undefined) {
        expect({ prism: prismSays, ours: oursSays }).toEqual({
          prism: c.valid ? "valid" : "invalid",
          ours: c.valid ? "valid" : "invalid",
        });
      } else {
        used.add(c.name);
        expect({ prism: prismSays, ours: oursSays }, disagreement.reason).toEqual({
          prism: disagreement.prism,
          ours: disagreement.ours,
        });
        expect(c.valid ? "valid" : "invalid", "the fixture records this package's verdict").toBe(disagreement.ours);
      }

      if (!result.ok && c.expect !== undefined) {
        expect(result.error.code).toBe(c.expect.code);
        expect(result.error.issues.map((i) => i.path)).toContain(c.expect.path);
      }
      // Where both reject, they point at the same place. Prism reports query parameter names
      // lower-cased (`subid1` for `SubId1`), so query locations compare case-insensitively.
      if (!result.ok && !sent.ok) {
        const fold = (p: string) => (c.delivery === "GET" ? p.toLowerCase() : p);
        const ours = result.error.issues.map((i) => fold(i.path));
        expect(
          prismPaths(sent.body).some((p) => ours.includes(fold(p))),
          `Prism: ${sent.body}`,
        ).toBe(true);
      }
    });
  });
}

it("lists no disagreement that no case exercises", () => {
  expect(Object.keys(knownDisagreements).filter((name) => !used.has(name))).toEqual([]);
});
