/** Every bundled contract says what the receiver answers (src/codegen/receiver-responses.ts). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { bundleContract } from "../../src/codegen/bundle-contract.js";
import { PROBLEM_SCHEMA_NAME } from "../../src/codegen/receiver-responses.js";
import { problemCodes } from "../../src/errors/codes.js";

const root = join(import.meta.dirname, "../..");
type Operation = {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
};
const read = (name: string) =>
  JSON.parse(readFileSync(join(root, "generated", name, "openapi.json"), "utf8")) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties: { code: { enum: string[] } } }> };
  };

describe.each(["documented", "lifecycle-get", "lifecycle-post"])("generated/%s/openapi.json", (name) => {
  const document = read(name);
  const operations = Object.values(document.paths).flatMap((item) => Object.entries(item));

  test("declares 200, and 4XX and 5XX as problem+json with the problem schema and every code", () => {
    expect(operations.length).toBeGreaterThan(0);
    for (const [, operation] of operations) {
      expect(operation.responses["200"]?.content?.["application/json"]).toBeDefined();
      for (const range of ["4XX", "5XX"]) {
        expect(operation.responses[range]?.content?.["application/problem+json"]?.schema).toEqual({
          $ref: `#/components/schemas/${PROBLEM_SCHEMA_NAME}`,
        });
      }
    }
    expect(document.components.schemas[PROBLEM_SCHEMA_NAME]?.properties.code.enum).toEqual(Object.keys(problemCodes));
  });

  test("a POST's body is required, in JSON and in form encoding, with one schema", () => {
    for (const [method, operation] of operations) {
      if (method !== "post") continue;
      expect(operation.requestBody?.required).toBe(true);
      const content = operation.requestBody?.content ?? {};
      expect(Object.keys(content).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
      expect(content["application/x-www-form-urlencoded"]?.schema).toEqual(content["application/json"]?.schema);
    }
  });
});

test("a contract of its own may not redefine the reserved problem schema", () => {
  const document = {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {},
    components: { schemas: { [PROBLEM_SCHEMA_NAME]: { type: "string" } } },
  };
  expect(() =>
    bundleContract({ name: "c", documents: [{ source: "s.openapi.json", document }], overlays: [] }),
  ).toThrow(/reserved for the receiver's answers/);
});
