/**
 * Properties of `validateEventNotification` (issue 7): it never throws on any input, its verdict
 * matches an independent model of the documented contract, every accepted notification satisfies
 * the generated validators, it never modifies its input, and its errors stay bounded.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type ContractName, contracts } from "../../generated/index.js";
import type { OperationRuntime } from "../../src/contract.js";
import { problemCodes } from "../../src/errors/codes.js";
import { type ValidationResult, validateEventNotification } from "../../src/index.js";
import { findForbiddenKey } from "../../src/input/forbidden-key.js";
import { checkProperty } from "./check-property.js";
import { acceptsPost, acceptsQueryPairs, acceptsQueryRecord, hasForbiddenKey } from "./documented-model.js";

const contractNames = Object.keys(contracts) as ContractName[];
const fields = ["campaign_id", "action_id", "status", "payout", "items", "sku", "qty", "amt"];
const hostileKeys = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", ""];

/** Keys a hostile or confused sender would use: contract fields, prototype names, anything. */
const key = fc.oneof(fc.string(), fc.constantFrom(...fields, ...hostileKeys));

/** Every JavaScript value shape fast-check knows, with hostile keys. */
const anyInput = fc.anything({
  key,
  maxDepth: 4,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
});

const decimal = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,12}$/), fc.option(fc.stringMatching(/^[0-9]{1,4}$/)))
  .map(([negative, whole, fraction]) => `${negative ? "-" : ""}${whole}${fraction === null ? "" : `.${fraction}`}`);
const nearDecimal = fc.constantFrom("1e3", "+1", "1,50", " 1", "1 ", ".5", "5.", "0x1F", "١٢", "1.2.3", "", "-", "NaN");
/** A pollution attempt as JSON.parse would produce it: an own `constructor` holding `prototype`. */
const constructorPrototype = fc.constant({ prototype: { polluted: "yes" } });
const value = fc.oneof(
  { arbitrary: decimal, weight: 6 },
  { arbitrary: fc.string(), weight: 3 },
  { arbitrary: nearDecimal, weight: 2 },
  {
    arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
    weight: 1,
  },
  { arbitrary: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), constructorPrototype), weight: 1 },
);
const item = fc.oneof(
  { arbitrary: fc.dictionary(fc.constantFrom("sku", "qty", "amt", "note", ...hostileKeys), value), weight: 8 },
  { arbitrary: fc.oneof(fc.string(), fc.constant(null), fc.array(fc.string(), { maxLength: 1 })), weight: 1 },
);
/** Mostly notification-shaped bodies, so both verdicts are exercised often. */
const body = fc
  .tuple(
    fc.record(
      { campaign_id: value, action_id: value, status: value, payout: value, items: fc.array(item, { maxLength: 4 }) },
      { requiredKeys: [] },
    ),
    fc.dictionary(key, value, { maxKeys: 3 }),
    fc.option(value, { freq: 8 }),
  )
  .map(([known, extra, oddItems]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(extra))
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
    Object.assign(out, known);
    if (oddItems !== null) out.items = oddItems;
    return out;
  });

/** Ordered query pairs, mostly notification-shaped, with repeats, empty and hostile keys. */
const queryPairs = fc.array(
  fc.tuple(
    fc.oneof({ arbitrary: fc.constantFrom(...fields), weight: 4 }, { arbitrary: key, weight: 1 }),
    fc.oneof({ arbitrary: decimal, weight: 3 }, { arbitrary: fc.string(), weight: 1 }, nearDecimal),
  ),
  { maxLength: 8 },
);

function expectWellFormedResult(result: ValidationResult<ContractName>) {
  if (result.ok) return;
  const { code, status, issues } = result.error;
  expect(problemCodes[code]?.status).toBe(status);
  expect(issues.length).toBeLessThanOrEqual(20);
  for (const issue of issues) expect(issue.path.length).toBeLessThanOrEqual(200);
}

function expectAcceptedSatisfiesContract(name: ContractName, result: ValidationResult<ContractName>) {
  if (!result.ok) return;
  const operations: Partial<Record<"GET" | "POST", OperationRuntime>> = contracts[name].operations;
  const operation = operations[result.delivery];
  if (operation === undefined) throw new Error(`accepted a ${result.delivery} for a contract without one`);
  expect(operation.validate(result.notification)).toBe(true);
  expect(operation.validateAllErrors(result.notification)).toBe(true);
  expect(findForbiddenKey(result.notification)).toBeUndefined();
}

describe("validateEventNotification properties", () => {
  test("never throws on any value, delivery, contract or allErrors; errors are bounded", () => {
    checkProperty(
      "never throws",
      fc.property(
        anyInput,
        fc.constantFrom(undefined, "GET" as const, "POST" as const),
        fc.constantFrom(...contractNames),
        fc.boolean(),
        (input, delivery, contract, allErrors) => {
          const result = validateEventNotification(input, {
            contract,
            allErrors,
            ...(delivery === undefined ? {} : { delivery }),
          });
          expectWellFormedResult(result);
          expectAcceptedSatisfiesContract(contract, result);
        },
      ),
    );
  });

  test("POST: accepted exactly when the reference model accepts; input untouched", () => {
    let accepted = 0;
    let rejected = 0;
    checkProperty(
      "POST verdict matches the model",
      fc.property(body, fc.boolean(), (input, allErrors) => {
        const before = JSON.stringify(input);
        const result = validateEventNotification(input, { delivery: "POST", allErrors });
        expect(JSON.stringify(input)).toBe(before);
        expect(result.ok).toBe(acceptsPost(input));
        if (result.ok) {
          accepted++;
          expect(result.notification).toBe(input);
        } else {
          rejected++;
          // A prototype-polluting key is refused as such whatever else is wrong; otherwise the schema decides.
          expect(result.error.code).toBe(hasForbiddenKey(input) ? "forbidden_key" : "invalid_notification");
        }
        expectAcceptedSatisfiesContract("documented", result);
      }),
    );
    // The generator must exercise both verdicts, or the property proves little.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });

  test("GET record: accepted exactly when the reference model accepts", () => {
    const record = fc.dictionary(
      fc.oneof(fc.constantFrom(...fields), key),
      fc.oneof({ arbitrary: decimal, weight: 4 }, fc.string(), fc.array(fc.string(), { maxLength: 3 }), value),
    );
    checkProperty(
      "GET record verdict matches the model",
      fc.property(record, (input) => {
        const result = validateEventNotification(input, { delivery: "GET" });
        expect(result.ok).toBe(acceptsQueryRecord(input));
        expectAcceptedSatisfiesContract("documented", result);
      }),
    );
  });

  test("GET string, URL and URLSearchParams: verdict matches the model; values kept exactly", () => {
    checkProperty(
      "GET query verdict matches the model",
      fc.property(queryPairs, fc.constantFrom("raw", "?", "url", "params", "URL"), (pairs, form) => {
        const params = new URLSearchParams();
        for (const [k, v] of pairs) params.append(k, v);
        const query = params.toString();
        const input =
          form === "raw"
            ? query
            : form === "?"
              ? `?${query}`
              : form === "url"
                ? `https://partner.example/postback?${query}#fragment`
                : form === "params"
                  ? params
                  : new URL(`https://partner.example/postback?${query}`);
        const result = validateEventNotification(input);
        // fc.string() is well-formed UTF-16, so URLSearchParams keeps every code point.
        expect(result.ok).toBe(acceptsQueryPairs(pairs));
        if (result.ok) {
          expect(result.notification).toEqual(Object.fromEntries(pairs));
        } else {
          expect(["invalid_notification", "forbidden_key"]).toContain(result.error.code);
        }
        expectAcceptedSatisfiesContract("documented", result);
      }),
    );
  });

  test("the first-error and all-errors validators agree on every input", () => {
    checkProperty(
      "validators agree",
      fc.property(fc.oneof(body, anyInput), fc.constantFrom(...contractNames), (input, name) => {
        for (const operation of Object.values(contracts[name].operations)) {
          expect(operation.validateAllErrors(input)).toBe(operation.validate(input));
        }
      }),
    );
  });
});
