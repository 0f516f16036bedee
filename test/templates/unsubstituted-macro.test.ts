/**
 * impact.com sends a macro it does not know as written (`{subId1}`, `{OID}`). Every macro and text
 * value of a template contract refuses a value that is a whole `{Macro}` token, reported as
 * `unsubstituted_macro`: free text by a `not` in the schema, other formats by their pattern,
 * named by the value. Checked with validators built exactly as `npm run generate` builds them
 * (emitValidators: ajv strict mode, standalone code, bundled), with the committed generated
 * contracts, and against the documented contract, whose behaviour must not change.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bundleContract } from "../../src/codegen/contracts.js";
import { emitValidators } from "../../src/codegen/emit-validators.js";
import { requestSchemas } from "../../src/codegen/request-schemas.js";
import { lintTemplate } from "../../src/codegen/templates/lint-template.js";
import { templateToOpenApi } from "../../src/codegen/templates/template-to-openapi.js";
import {
  UNSUBSTITUTED_MACRO_KEYWORD,
  UNSUBSTITUTED_MACRO_PATTERN,
} from "../../src/codegen/templates/unsubstituted-macro.js";
import type { GeneratedValidator } from "../../src/contract.js";
import { issuesFromValidator } from "../../src/errors/from-validator.js";
import { validateEventNotification } from "../../src/validate-event-notification.js";

const root = join(import.meta.dirname, "..", "..");
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8")) as Json;
const dir = mkdtempSync(join(tmpdir(), "unsubstituted-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Built {
  first: GeneratedValidator;
  all: GeneratedValidator;
  document: Record<string, unknown>;
}

/** Template → OpenAPI → bundled contract → request schema → emitValidators' ESM bundle, imported. */
async function build(name: string, config: unknown): Promise<Built> {
  const { template, issues } = lintTemplate(config);
  if (template === undefined) throw new Error(JSON.stringify(issues));
  const document = templateToOpenApi(name, `${name}.template.json`, template);
  const contract = bundleContract({ name, documents: [{ source: name, document }], overlays: [] });
  const [request] = requestSchemas(contract);
  if (request === undefined) throw new Error("no operation");
  const { esm } = await emitValidators(name, [request], "// test", root);
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, esm);
  const module = (await import(pathToFileURL(file).href)) as Record<string, GeneratedValidator>;
  const first = module[request.exportName];
  const all = module[`${request.exportName}AllErrors`];
  if (first === undefined || all === undefined) throw new Error("validators missing");
  return { first, all, document: contract.document };
}

// As the runtime calls it for a template contract: with the data, whose values tell a macro.
const issuesOf = (validate: GeneratedValidator, data: unknown, repeated?: ReadonlySet<string>) =>
  validate(data) ? [] : issuesFromValidator(validate.errors ?? [], repeated, data);

const unsubstituted = (path: string) => ({
  path,
  code: "unsubstituted_macro",
  message: expect.stringMatching(/impact\.com did not substitute.*spelling and case.*case-sensitive/),
});

describe("GET template: digit ids, text macros and mixed text refuse a whole {Macro}", () => {
  let get: Built;
  beforeAll(async () => {
    get = await build("t-get", {
      kind: "action_lifecycle",
      method: "GET",
      url: "https://partner.example.com/impact?cid={CampaignId}&sub={SubId1}&note=order%20{Oid}&st={Status}&name={CampaignName}&net=impact",
      required: ["name"],
    });
  });
  const good = { cid: "25619", sub: "abc", note: "order 42", st: "PENDING", name: "Base44 ", net: "impact" };

  test("a well-formed notification is accepted", () => {
    expect(issuesOf(get.first, good)).toEqual([]);
  });

  const refused: [string, Record<string, string>, string][] = [
    ["{OID} in a digit-id field", { cid: "{OID}" }, "/cid"],
    ["{subId1} in a text macro field", { sub: "{subId1}" }, "/sub"],
    ["{subId1} in a mixed text field", { note: "{subId1}" }, "/note"],
    ["{status} in an open-enum field", { st: "{status}" }, "/st"],
    ["{Campaign Name} (with a space) in a required text field", { name: "{Campaign Name}" }, "/name"],
  ];
  test.each(refused)("refuses %s as unsubstituted_macro (first error)", (_, change, path) => {
    const found = issuesOf(get.first, { ...good, ...change });
    expect(found).toEqual([unsubstituted(path)]);
    // Never echoes the received value.
    expect(JSON.stringify(found)).not.toContain(Object.values(change)[0]);
  });

  test("with allErrors, a digit-id field reports the macro once (its grammar's refusal, named by its value)", () => {
    expect(issuesOf(get.all, { ...good, cid: "{OID}" }).map((i) => [i.path, i.code])).toEqual([
      ["/cid", "unsubstituted_macro"],
    ]);
    // Without the data (not a template contract), the same failure is the grammar's.
    get.all({ ...good, cid: "{OID}" });
    expect(issuesFromValidator(get.all.errors ?? [], undefined).map((i) => i.code)).toEqual(["pattern"]);
  });

  const accepted: [string, Record<string, string>][] = [
    ['"" where a macro may be empty', { cid: "", sub: "", note: "", st: "" }],
    ["braces inside other text, in a text macro field", { sub: "a {b} c" }],
    ["braces inside other text, in a mixed text field", { note: "order {x} done" }],
    ["a JSON-looking text value", { sub: '{"a":1}' }],
    ["empty braces", { sub: "{}" }],
    ["two tokens side by side", { sub: "{a}{b}" }],
    ["a token with text around it", { sub: " {OID}" }],
  ];
  test.each(accepted)("accepts %s", (_, change) => {
    expect(issuesOf(get.first, { ...good, ...change })).toEqual([]);
    expect(issuesOf(get.all, { ...good, ...change })).toEqual([]);
  });

  test("other refusals keep their codes: a bad digit id, a required empty text, a changed literal", () => {
    expect(issuesOf(get.first, { ...good, cid: "abc" })).toMatchObject([{ path: "/cid", code: "pattern" }]);
    expect(issuesOf(get.first, { ...good, name: "" })).toMatchObject([{ path: "/name", code: "pattern" }]);
    expect(issuesOf(get.first, { ...good, net: "{Net}" })).toMatchObject([{ path: "/net", code: "const" }]);
  });

  test("a repeated key is still repeated_parameter, not a macro", () => {
    const found = issuesOf(get.first, { ...good, cid: ["1", "2"] }, new Set(["/cid"]));
    expect(found).toMatchObject([{ path: "/cid", code: "repeated_parameter" }]);
  });
});

describe("POST JSON template: nested values and array items too; non-strings stay type errors", () => {
  let post: Built;
  beforeAll(async () => {
    post = await build("t-post", {
      kind: "action_lifecycle",
      method: "POST",
      url: "/hook",
      body: '{"action": {"id": "{ActionId}", "payout": "{Payout}"}, "subs": ["{SubId1}", "x-{SubId2}"], "v": 2, "net": "impact"}',
    });
  });
  const good = () => ({ action: { id: "1.2", payout: "5.00" }, subs: ["a", "x-b"], v: 2, net: "impact" });

  test("accepted as filled in", () => {
    expect(issuesOf(post.first, good())).toEqual([]);
  });

  test("refuses a whole token in a nested value and in array items", () => {
    expect(issuesOf(post.first, { ...good(), action: { id: "{ActionID}", payout: "5.00" } })).toEqual([
      unsubstituted("/action/id"),
    ]);
    expect(issuesOf(post.first, { ...good(), subs: ["{subId1}", "x-b"] })).toEqual([unsubstituted("/subs/0")]);
    expect(issuesOf(post.first, { ...good(), subs: ["a", "{SubID2}"] })).toEqual([unsubstituted("/subs/1")]);
  });

  test("a number or null where a string belongs is a type error, not a macro", () => {
    expect(issuesOf(post.first, { ...good(), action: { id: "1.2", payout: 5 } })).toMatchObject([
      { path: "/action/payout", code: "type" },
    ]);
    expect(issuesOf(post.all, { ...good(), subs: [null, "x-b"] }).map((i) => i.code)).toEqual(["type"]);
  });

  test("literal numbers and strings are checked as written (const), without the macro check", () => {
    expect(issuesOf(post.first, { ...good(), v: "{V}" })).toMatchObject([{ path: "/v", code: "const" }]);
  });
});

describe("the contract document", () => {
  const construct = { [UNSUBSTITUTED_MACRO_KEYWORD]: true, type: "string", pattern: UNSUBSTITUTED_MACRO_PATTERN };

  /** Every schema (object with `type` or `const`) except the `not` subschemas themselves. */
  /** The request's schemas only: the receiver's answers (`responses`, ImpactProblem) are not notifications. */
  function schemas(node: Json, out: Record<string, Json>[] = [], underNot = false): Record<string, Json>[] {
    if (Array.isArray(node)) for (const n of node) schemas(n, out);
    else if (typeof node === "object" && node !== null) {
      if (!underNot && ("type" in node || "const" in node)) out.push(node);
      for (const [key, value] of Object.entries(node)) {
        if (key !== "responses" && key !== "components") schemas(value, out, key === "not");
      }
    }
    return out;
  }
  const notsOf = (node: Json, out: Json[] = []): Json[] => {
    if (Array.isArray(node)) for (const n of node) notsOf(n, out);
    else if (typeof node === "object" && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "not") out.push(value);
        notsOf(value, out);
      }
    }
    return out;
  };

  test.each(["lifecycle-get", "lifecycle-post"])(
    "generated/%s: every non-const string value refuses a whole {Macro} (the same in Prism): free text by a `not`, its only kind of `not`, other formats by their pattern",
    (name) => {
      const document = readJson(`generated/${name}/openapi.json`);
      const strings = schemas(document).filter((s) => s.type === "string");
      const withoutConst = strings.filter((s) => !("const" in s));
      expect(withoutConst.length).toBeGreaterThan(10);
      const token = new RegExp(UNSUBSTITUTED_MACRO_PATTERN, "u");
      for (const s of withoutConst) {
        const format = s["x-impact-format"];
        if (typeof s.pattern === "string" && format !== "text") {
          // A format that excludes braces needs no `not`: its pattern refuses every {Macro} token.
          expect(s.not, JSON.stringify(s)).toBeUndefined();
          for (const v of ["{OID}", "{subId1}", "{Payout}", "{a b}"])
            expect(new RegExp(s.pattern, "u").test(v)).toBe(false);
          expect(token.test("{OID}")).toBe(true);
        } else {
          expect(s.not, JSON.stringify(s)).toEqual(construct);
        }
      }
      for (const s of strings.filter((s) => "const" in s)) expect(s.not).toBeUndefined();
      expect(notsOf(document).every((n) => JSON.stringify(n) === JSON.stringify(construct))).toBe(true);
    },
  );

  test("the documented contract has no `not` at all, so the issue mapping cannot misread one there", () => {
    expect(notsOf(readJson("generated/documented/openapi.json"))).toEqual([]);
  });

  test("a `not` that is not directly on a property or item schema keeps ajv's keyword as code", () => {
    const error = (schemaPath: string) => ({ instancePath: "/a", schemaPath, keyword: "not", params: {} });
    expect(issuesFromValidator([error("#/properties/a/anyOf/0/not")], undefined)[0]?.code).toBe("not");
    expect(issuesFromValidator([error("#/$defs/X/not")], undefined)[0]?.code).toBe("not");
    expect(issuesFromValidator([error("#/properties/a/not")], undefined)[0]?.code).toBe("unsubstituted_macro");
    expect(issuesFromValidator([error("#/properties/a/prefixItems/0/not")], undefined)[0]?.code).toBe(
      "unsubstituted_macro",
    );
  });
});

describe("through the committed generated validators (validateEventNotification)", () => {
  // The real captured GET (test/fixtures/lifecycle-get/get-captured-request.json).
  const captured = Object.fromEntries(
    new URLSearchParams((readJson("test/fixtures/lifecycle-get/get-captured-request.json") as { query: string }).query),
  );

  const check = (change: Record<string, string>) =>
    validateEventNotification(new URLSearchParams({ ...captured, ...change }), { contract: "lifecycle-get" });

  test("lifecycle-get refuses {OID} in CampaignId and {subId1} in SubId1 as unsubstituted_macro", () => {
    expect(check({ CampaignId: "{OID}" })).toMatchObject({
      ok: false,
      error: { issues: [unsubstituted("/CampaignId")] },
    });
    expect(check({ SubId1: "{subId1}" })).toMatchObject({ ok: false, error: { issues: [unsubstituted("/SubId1")] } });
    expect(check({ SubId1: "a {b} c", SubId2: "" }).ok).toBe(true);
  });

  test("lifecycle-post refuses {status} in status (open enum) as unsubstituted_macro", () => {
    const document = readJson("generated/lifecycle-post/openapi.json") as {
      paths: Record<
        string,
        { post: { requestBody: { content: Record<string, { example: Record<string, string> }> } } }
      >;
    };
    const example = document.paths["/impact/lifecycle"]?.post.requestBody.content["application/json"]?.example;
    expect(example).toBeDefined();
    const result = validateEventNotification({ ...example, status: "{status}" }, { contract: "lifecycle-post" });
    expect(result).toMatchObject({ ok: false, error: { issues: [unsubstituted("/status")] } });
  });

  test("the documented contract does not use the new code", () => {
    const result = validateEventNotification({ payout: "{Payout}" }, { delivery: "POST" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues.map((i) => i.code)).not.toContain("unsubstituted_macro");
  });
});
