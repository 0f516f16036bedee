/**
 * Every notification the sender side produces is accepted by the receiver side (issue 7):
 * `sampleNotification` (what `send` and the simulator emit) → the sender's wire encoding
 * (`toQueryString` for GET, JSON for POST) → the receiver's decoding (`decodeParameters`, the
 * HTTP path; URLSearchParams, the `validateEventNotification` string path) → accepted, with every
 * value unchanged. Runs over every generated contract, so a template contract is covered too.
 */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { ContractName } from "../../generated/index.js";
import { toQueryString } from "../../src/sender/to-query-string.js";
import { type ContractDocument, sampleNotification } from "../../src/testing/index.js";
import { validateEventNotification } from "../../src/validate-event-notification.js";
import { decodeParameters } from "../../src/verify/decode-parameters.js";
import { checkProperty } from "./check-property.js";

const generated = new URL("../../generated/", import.meta.url);
const documents = readdirSync(generated, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({
    name: entry.name as ContractName,
    document: JSON.parse(readFileSync(new URL(`${entry.name}/openapi.json`, generated), "utf8")) as ContractDocument & {
      paths: Record<string, Record<string, unknown>>;
    },
  }));

const deliveriesOf = (document: { paths: Record<string, Record<string, unknown>> }) =>
  (["GET", "POST"] as const).filter((d) => Object.values(document.paths).some((item) => d.toLowerCase() in item));

describe("sender → receiver", () => {
  test("at least one contract is generated", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  for (const { name, document } of documents) {
    for (const delivery of deliveriesOf(document)) {
      test(`${name} ${delivery}: every sampled notification is accepted unchanged`, () => {
        checkProperty(
          `${name} ${delivery} sender → receiver`,
          fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
            const sent = sampleNotification(document, delivery, { seed });
            if (delivery === "POST") {
              const received: unknown = JSON.parse(JSON.stringify(sent));
              const result = validateEventNotification(received, { contract: name, delivery });
              expect(result.ok ? "accepted" : result.error).toBe("accepted");
              expect(received).toEqual(sent);
              return;
            }
            const wire = toQueryString(sent);
            const decoded = decodeParameters(wire, 1000);
            if ("error" in decoded) throw new Error(`receiver refused the sender's query: ${decoded.error}`);
            expect(decoded.record).toEqual(sent);
            for (const input of [decoded.record, wire]) {
              const result = validateEventNotification(input, { contract: name, delivery: "GET" });
              expect(result.ok ? "accepted" : result.error).toBe("accepted");
            }
          }),
        );
      });
    }
  }
});
