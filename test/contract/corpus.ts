/**
 * The contract-test corpus of one contract: the hand-written fixtures in
 * test/fixtures/<contract>/<case>.json, plus cases built from the contract itself (seeded samples
 * that must pass, and corruptions of them that must fail), so a contract added to openapi/ is
 * covered the moment `npm run generate` writes it, before anyone writes fixtures for it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { contracts } from "../../generated/index.js";
import { loadContractDocument } from "../../src/cli/load-contract-document.js";
import type { ContractRuntime, Delivery } from "../../src/contract.js";
import { sampleNotification } from "../../src/testing/index.js";

export interface FixtureCase {
  readonly name: string;
  readonly contract: string;
  readonly description: string;
  readonly delivery: Delivery;
  /** GET: the raw query string, sent exactly as written. */
  readonly query?: string;
  /** POST: the JSON body. */
  readonly body?: unknown;
  readonly valid: boolean;
  /** For invalid cases: the problem code and one issue path the validator must report. */
  readonly expect?: { readonly code: string; readonly path: string };
  /** Where the case comes from: a fixture file, or built from the contract. */
  readonly source: string;
}

export const fixturesDir = join(import.meta.dirname, "..", "fixtures");

export function fixtureFiles(contract: string): string[] {
  const dir = join(fixturesDir, contract);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

export function readFixture(file: string, contract: string): FixtureCase {
  const raw = JSON.parse(readFileSync(file, "utf8")) as Omit<FixtureCase, "name" | "contract" | "source">;
  const name = file.slice(file.lastIndexOf("/") + 1, -".json".length);
  if (raw.delivery !== "GET" && raw.delivery !== "POST") throw new Error(`${file}: "delivery" must be GET or POST`);
  if (typeof raw.valid !== "boolean") throw new Error(`${file}: "valid" must be true or false`);
  if (raw.delivery === "GET" && typeof raw.query !== "string") throw new Error(`${file}: a GET fixture needs "query"`);
  if (raw.delivery === "POST" && !("body" in raw)) throw new Error(`${file}: a POST fixture needs "body"`);
  return { ...raw, name, contract, source: file.slice(file.indexOf("test/fixtures")) };
}

const SEEDS = [1, 2, 3] as const;

function builtCases(contract: string): FixtureCase[] {
  const runtime = (contracts as Record<string, ContractRuntime>)[contract];
  const document = loadContractDocument(contract);
  const cases: FixtureCase[] = [];
  for (const delivery of ["GET", "POST"] as const) {
    if (runtime?.operations[delivery] === undefined) continue;
    const source = `sampleNotification(generated/${contract}/openapi.json, "${delivery}")`;
    for (const seed of SEEDS) {
      const sample = sampleNotification(document, delivery, { seed });
      cases.push({
        name: `sample-${delivery.toLowerCase()}-seed-${seed}`,
        contract,
        description: `A seeded sample (seed ${seed}) must be valid`,
        delivery,
        ...(delivery === "GET"
          ? { query: new URLSearchParams(sample as Record<string, string>).toString() }
          : { body: sample }),
        valid: true,
        source,
      });
    }
    const sample = sampleNotification(document, delivery, { seed: SEEDS[0] });
    const key = Object.keys(sample).find((k) => typeof sample[k] === "string");
    if (key === undefined) continue;
    if (delivery === "GET") {
      // A repeated key is invalid under every contract that does not declare the key an array.
      const query = new URLSearchParams(sample as Record<string, string>);
      query.append(key, String(sample[key]));
      cases.push({
        name: "sample-get-repeated-key",
        contract,
        description: `The sample with "${key}" repeated must be invalid`,
        delivery,
        query: query.toString(),
        valid: false,
        expect: { code: "invalid_notification", path: `/${key}` },
        source,
      });
    } else {
      // impact.com quotes every macro, so a JSON number where a string is declared is a broken template.
      cases.push({
        name: "sample-post-number-value",
        contract,
        description: `The sample with "${key}" as a JSON number must be invalid`,
        delivery,
        body: { ...sample, [key]: 5 },
        valid: false,
        expect: { code: "invalid_notification", path: `/${key}` },
        source,
      });
    }
  }
  return cases;
}

/** Every case of a contract: fixture files first (sorted), then the built ones. */
export function corpus(contract: string): FixtureCase[] {
  return [...fixtureFiles(contract).map((file) => readFixture(file, contract)), ...builtCases(contract)];
}
