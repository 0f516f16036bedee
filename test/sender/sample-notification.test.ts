/** Samples: valid under every generated contract, realistic per field, reproducible from a seed. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contracts } from "../../generated/index.js";
import { loadContractDocument } from "../../src/cli/load-contract-document.js";
import { contractNames } from "../../src/cli/package-root.js";
import type { ContractRuntime, Delivery } from "../../src/contract.js";
import { validateEventNotification } from "../../src/index.js";
import { sampleNotification, seededRandom } from "../../src/testing/index.js";

const runtimes = contracts as Record<string, ContractRuntime>;

describe.each(contractNames())("contract %s", (contract) => {
  const document = loadContractDocument(contract);
  const deliveries = Object.keys(runtimes[contract]?.operations ?? {}) as Delivery[];

  it.each(deliveries)("every %s sample of 100 seeds is valid", (delivery) => {
    for (let seed = 0; seed < 100; seed++) {
      const sample = sampleNotification(document, delivery, { seed });
      const result = validateEventNotification(sample, { contract: contract as "documented", delivery });
      expect(result.ok, `seed ${seed}: ${JSON.stringify(result.ok ? "" : result.error.issues)}`).toBe(true);
    }
  });

  it.each(deliveries)("%s: the same seed gives the same notification, another seed another", (delivery) => {
    expect(sampleNotification(document, delivery, { seed: 7 })).toEqual(
      sampleNotification(document, delivery, { seed: 7 }),
    );
    expect(sampleNotification(document, delivery, { seed: 7 })).not.toEqual(
      sampleNotification(document, delivery, { seed: 8 }),
    );
  });
});

describe("realistic values", () => {
  const document = loadContractDocument("documented");
  it("digit ids, dotted action ids, decimal money, known statuses, items", () => {
    for (let seed = 0; seed < 50; seed++) {
      const s = sampleNotification(document, "POST", { seed }) as Record<string, unknown>;
      expect(s.campaign_id).toMatch(/^[1-9]\d{4,7}$/);
      expect(s.action_id).toMatch(/^\d{4}\.\d{4}\.\d{6}$/);
      expect(s.payout).toMatch(/^\d+\.\d{2}$/);
      expect(["APPROVED", "PENDING", "REVERSED"]).toContain(s.status);
      for (const item of s.items as Record<string, string>[]) {
        expect(item.sku).toMatch(/^APP-\d{4}$/);
        expect(item.qty).toMatch(/^[1-3]$/);
        expect(item.amt).toMatch(/^\d+\.\d{2}$/);
      }
    }
  });

  it("dates keep a numeric offset", () => {
    const doc = {
      paths: { "/n": { get: { parameters: [{ name: "EventDate", in: "query", schema: { type: "string" } }] } } },
    };
    for (let seed = 0; seed < 50; seed++) {
      expect(sampleNotification(doc, "GET", { seed }).EventDate).toMatch(
        /^2026-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/,
      );
    }
  });

  it("seededRandom is a reproducible stream in [0, 1)", () => {
    const a = seededRandom("seed");
    const b = seededRandom("seed");
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});

describe("sampleNotification's doc comment", () => {
  it("shows what the call returns", () => {
    const source = readFileSync(join(import.meta.dirname, "../../src/samples/sample-notification.ts"), "utf8");
    const shown = /sampleNotification\(openapi, "GET", \{ seed: 7 \}\)\n \*\s+\/\/ → (\{.*\})/.exec(source)?.[1];
    if (shown === undefined) throw new Error("the @example of sampleNotification changed shape; update this test");
    const literal = shown.replace(/(\w+):/g, '"$1":');
    expect(sampleNotification(loadContractDocument("documented"), "GET", { seed: 7 })).toEqual(JSON.parse(literal));
  });
});
