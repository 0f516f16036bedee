/**
 * compileTemplate (impact-event-notifications/compile) against the generator: for the
 * repository's templates (openapi/templates/), the validators it compiles at run time must give
 * the verdicts AND the errors of the precompiled ones in generated/<name>/validators.mjs, over the
 * contract tests' corpus and over random records built from the template's keys.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { contracts } from "../../generated/index.js";
import { loadContractDocument } from "../../src/cli/load-contract-document.js";
import { COMPILED_SOURCE, compileTemplate, type LintIssue, TemplateLintError } from "../../src/compile/index.js";
import type { ContractRuntime, Delivery, GeneratedValidator } from "../../src/contract.js";
import { paramsToRecord, queryString } from "../../src/input/query-record.js";
import { corpus } from "../contract/corpus.js";
import { checkProperty } from "../property/check-property.js";

const root = join(import.meta.dirname, "../..");
const templatesDir = join(root, "openapi/templates");
const templateFiles = readdirSync(templatesDir)
  .filter((f) => /\.template\.(json|ya?ml)$/.test(f))
  .sort();

function readTemplate(file: string): { name: string; config: unknown } {
  const text = readFileSync(join(templatesDir, file), "utf8");
  const name = file.replace(/\.template\.(json|ya?ml)$/, "");
  return { name, config: file.endsWith(".json") ? JSON.parse(text) : parseYaml(text) };
}

/** What a validator says about `data`: its verdict and its errors, as the runtime reads them. */
function verdict(validate: GeneratedValidator, data: unknown) {
  const valid = validate(data);
  return { valid, errors: valid ? null : (validate.errors ?? []).map((e) => ({ ...e })) };
}

/** Both validators (first error, all errors) of both contracts agree on `data`. */
function expectSame(generated: ContractRuntime, compiled: ContractRuntime, delivery: Delivery, data: unknown) {
  const g = generated.operations[delivery];
  const c = compiled.operations[delivery];
  if (g === undefined || c === undefined) throw new Error(`no ${delivery} operation`);
  expect(verdict(c.validate, data)).toEqual(verdict(g.validate, data));
  expect(verdict(c.validateAllErrors, data)).toEqual(verdict(g.validateAllErrors, data));
}

/** A GET case's raw query as the runtime validates it: key → string, or string[] when repeated. */
function queryRecord(query: string): Record<string, unknown> {
  const decoded = paramsToRecord(new URLSearchParams(queryString(query)));
  if ("forbidden" in decoded) throw new Error(`forbidden key ${decoded.forbidden}`);
  return decoded.record;
}

test("the repository has templates to compare", () => {
  expect(templateFiles.length).toBeGreaterThanOrEqual(2);
});

describe.each(templateFiles)("compileTemplate(openapi/templates/%s)", (file) => {
  const { name, config } = readTemplate(file);
  const generated = (contracts as Record<string, ContractRuntime>)[name];
  if (generated === undefined) throw new Error(`generated/${name} is missing: run npm run generate`);
  const warnings: LintIssue[] = [];
  const compiled = compileTemplate(config, { name, onWarning: (issue) => warnings.push(issue) });

  test("has the generated contract's operations, metadata and template route", () => {
    expect(compiled.name).toBe(name);
    expect(compiled.sources).toEqual([COMPILED_SOURCE]);
    expect(compiled.template).toEqual({ ...generated.template, source: COMPILED_SOURCE });
    expect(Object.keys(compiled.operations)).toEqual(Object.keys(generated.operations));
    for (const [delivery, op] of Object.entries(generated.operations)) {
      const { validate: _v, validateAllErrors: _a, ...metadata } = op;
      const { validate, validateAllErrors, ...compiledMetadata } = compiled.operations[delivery as Delivery] ?? {};
      expect(compiledMetadata).toEqual(metadata);
      expect(typeof validate).toBe("function");
      expect(typeof validateAllErrors).toBe("function");
    }
  });

  test("reports the lint warnings the generator prints", () => {
    for (const issue of warnings) expect(issue.severity).toBe("warning");
  });

  const cases = corpus(name);
  test.each(cases.map((c) => [c.name, c] as const))("same verdict and errors: %s", (_name, c) => {
    const data = c.delivery === "GET" ? queryRecord(c.query ?? "") : c.body;
    expectSame(generated, compiled, c.delivery, data);
  });

  test("same verdict and errors for random records of the template's keys (property)", () => {
    const delivery = Object.keys(generated.operations)[0] as Delivery;
    const operation = generated.operations[delivery];
    if (operation === undefined) throw new Error("no operation");
    const document = loadContractDocument(name) as {
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; example?: unknown }[]; requestBody?: unknown }>
      >;
    };
    const op = Object.values(Object.values(document.paths)[0] ?? {})[0];
    const body = (op?.requestBody as { content?: Record<string, { example?: Record<string, unknown> }> })?.content;
    const examples: Record<string, unknown> =
      delivery === "GET"
        ? Object.fromEntries((op?.parameters ?? []).map((p) => [p.name, p.example]))
        : (Object.values(body ?? {})[0]?.example ?? {});
    const keys = Object.keys(examples);
    expect(keys.length).toBeGreaterThan(0);
    const validStrings = [...new Set(Object.values(examples).filter((v): v is string => typeof v === "string"))];
    const invalidStrings = [
      "5,00",
      "abc",
      "1e3",
      " ",
      "-",
      "{Payout}",
      "{Status}",
      "2026-13-45T25:61:00",
      "USD ",
      "\u0000",
      "é",
    ];
    const value = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...validStrings, "") },
      { weight: 3, arbitrary: fc.constantFrom(...invalidStrings) },
      { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
      ...(delivery === "POST"
        ? [{ weight: 1, arbitrary: fc.constantFrom<unknown>(5, null, true, [], {}, ["5.00"]) }]
        : [{ weight: 1, arbitrary: fc.constantFrom<unknown>(["5.00", "5.00"]) }]),
    );
    const record = fc
      .record(Object.fromEntries(keys.map((k) => [k, fc.option(value, { nil: undefined, freq: 6 })])))
      .chain((r) =>
        fc
          .option(fc.tuple(fc.constantFrom("extra", "payout", "Payout", "__x"), value), { nil: undefined })
          .map((extra) => {
            const out: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
            if (extra !== undefined) out[extra[0]] = extra[1];
            return out;
          }),
      );
    checkProperty(
      `compileTemplate(${name}) validates as generated/${name}`,
      fc.property(record, (data) => {
        expectSame(generated, compiled, delivery, data);
      }),
    );
  });
});

describe("compileTemplate errors and options", () => {
  const get = {
    kind: "action_lifecycle",
    method: "GET",
    url: "https://partner.example/impact?cid={SubId1}&payout={Payout}&txid={ActionId}&status={Status}",
  } as const;

  test("a lint error throws TemplateLintError with every issue, formatted in its message", () => {
    const bad = {
      ...get,
      url: "https://partner.example/impact?payout={Payot}&x={Nope Nope}&txid={ActionId}&status={Status}",
    };
    let thrown: unknown;
    try {
      compileTemplate(bad, { name: "bad" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TemplateLintError);
    expect(thrown).toBeInstanceOf(Error);
    const error = thrown as TemplateLintError;
    expect(error.issues.filter((i) => i.severity === "error").map((i) => i.code)).toEqual([
      "unknown_macro",
      "unknown_macro",
    ]);
    expect(error.issues[0]?.at).toMatchObject({ field: "url", line: 1 });
    expect(error.message).toMatch(/^template "bad": the template lint found 2 error\(s\):\n/);
    expect(error.message).toMatch(/✖ bad url:1:\d+ unknown_macro: Unknown macro \{Payot\}/);
    expect(error.message).toContain("fix: Replace {Payot} with {Payout}");
  });

  test("an invalid configuration object throws TemplateLintError too", () => {
    expect(() => compileTemplate({ kind: "nope", method: "PUT" })).toThrow(TemplateLintError);
    expect(() => compileTemplate(null)).toThrow(TemplateLintError);
  });

  test("warnings go to onWarning, formatted as the CLI prints them; the name defaults to template", () => {
    const seen: string[] = [];
    const contract = compileTemplate(
      { kind: "action_lifecycle", method: "GET", url: "https://partner.example/impact?payout={Payout}" },
      { onWarning: (issue, formatted) => seen.push(`${issue.code} ${formatted}`) },
    );
    expect(contract.name).toBe("template");
    expect(seen.map((s) => s.split(" ")[0]).sort()).toEqual(["missing_action_id", "missing_status"]);
    expect(seen[0]).toMatch(/⚠ template url:1:\d+/);
  });

  test("the contract validates as the runtime expects: a valid query passes, payout 5,00 does not", () => {
    const contract = compileTemplate(get, { name: "partner-42" });
    const operation = contract.operations.GET;
    expect(operation.path).toBe("/impact");
    const valid = { cid: "sub-1", payout: "5.00", txid: "1000.2000.3000", status: "PENDING" };
    expect(operation.validate(valid)).toBe(true);
    expect(operation.validate({ ...valid, payout: "5,00" })).toBe(false);
    expect(operation.validate.errors?.[0]).toMatchObject({ instancePath: "/payout", keyword: "pattern" });
    expect(operation.validateAllErrors({ ...valid, payout: "5,00", status: undefined })).toBe(false);
    expect(contract.template).toEqual({
      kind: "action_lifecycle",
      delivery: "GET",
      path: "/impact",
      source: COMPILED_SOURCE,
      // The inbox orders by it: txid={ActionId}.
      actionIdField: "txid",
    });
  });

  test("names with dots, underscores and capitals compile; others are a TypeError", () => {
    for (const name of ["Partner_42.v2", "a", "1-a"]) expect(compileTemplate(get, { name }).name).toBe(name);
    for (const name of ["", "a b", "-a", "a/b", "x".repeat(129)]) {
      expect(() => compileTemplate(get, { name }), name).toThrow(TypeError);
    }
  });
});
