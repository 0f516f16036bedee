/**
 * Template → contract through the real pipeline (bundleContract → requestSchemas → ajv), for
 * the presence/emptiness rules: every key is sent, "" is a valid value, unless configured.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { bundleContract } from "../../src/codegen/contracts.js";
import { requestSchemas } from "../../src/codegen/request-schemas.js";
import { lintTemplate } from "../../src/codegen/templates/lint-template.js";
import { templateToOpenApi } from "../../src/codegen/templates/template-to-openapi.js";

function validatorFor(config: unknown) {
  const { template, issues } = lintTemplate(config);
  if (template === undefined) throw new Error(JSON.stringify(issues));
  const document = templateToOpenApi("t", "t.template.json", template);
  const contract = bundleContract({ name: "t", documents: [{ source: "t", document }], overlays: [] });
  const [request] = requestSchemas(contract);
  if (request === undefined) throw new Error("no operation");
  const ajv = new Ajv2020({ strict: false });
  return { validate: ajv.compile(request.schema), document: contract.document };
}

describe("templateToOpenApi", () => {
  const { validate } = validatorFor({
    kind: "action_lifecycle",
    method: "POST",
    url: "/hook",
    body: '{"name": "{CampaignName}", "sub": "{SubId1}", "pay": "{Payout}", "v": 2, "net": "impact", "deep": {"id": "{ActionId}"}, "opt": "{SharedId}"}',
    required: ["name", "/deep/id"],
    optional: ["opt"],
  });

  const cases: [string, { given: Record<string, unknown>; want: boolean }][] = [
    [
      "all keys, optional text empty",
      { given: { name: "Base44 ", sub: "", pay: "", v: 2, net: "impact", deep: { id: "1.2" } }, want: true },
    ],
    [
      "a required text key empty",
      { given: { name: "", sub: "", pay: "", v: 2, net: "impact", deep: { id: "1.2" } }, want: false },
    ],
    [
      "a required nested key empty",
      { given: { name: "x", sub: "", pay: "", v: 2, net: "impact", deep: { id: "" } }, want: false },
    ],
    [
      "a template key missing",
      { given: { name: "x", pay: "", v: 2, net: "impact", deep: { id: "1.2" } }, want: false },
    ],
    [
      "a literal changed",
      { given: { name: "x", sub: "", pay: "", v: 3, net: "impact", deep: { id: "1.2" } }, want: false },
    ],
    [
      "a literal string changed",
      { given: { name: "x", sub: "", pay: "", v: 2, net: "other", deep: { id: "1.2" } }, want: false },
    ],
    [
      "an optional key present",
      { given: { name: "x", sub: "", pay: "1", v: 2, net: "impact", deep: { id: "1.2" }, opt: "" }, want: true },
    ],
    [
      "a text macro left unsubstituted by impact.com",
      { given: { name: "x", sub: "{subId1}", pay: "", v: 2, net: "impact", deep: { id: "1.2" } }, want: false },
    ],
    [
      "a required text macro left unsubstituted",
      { given: { name: "{CampaignName}", sub: "", pay: "", v: 2, net: "impact", deep: { id: "1.2" } }, want: false },
    ],
    [
      "braces inside a text value",
      { given: { name: "x", sub: "a {b} c", pay: "", v: 2, net: "impact", deep: { id: "1.2" } }, want: true },
    ],
  ];
  test.each(cases)("%s", (_, { given, want }) => {
    expect(validate(given)).toBe(want);
  });

  test("every free-text value refuses a whole {Macro} by a `not`; formats and literal values do not need to", () => {
    const { document } = validatorFor({
      kind: "action_lifecycle",
      method: "POST",
      url: "/hook",
      body: '{"c": "{CampaignId}", "t": "id {ActionId}", "v": 2, "net": "impact", "a": ["{SubId1}"]}',
      required: ["c"],
    });
    const body = document.paths?.["/hook"]?.post as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, Record<string, unknown>> } }> };
    };
    const properties = body.requestBody.content["application/json"]?.schema.properties ?? {};
    const refusal = {
      "x-impact-unsubstituted": true,
      type: "string",
      pattern: '^\\{[^{}"\\\\\\r\\n]{1,64}\\}$',
    };
    // A digit id's grammar refuses braces itself; the runtime names that failure by its value.
    expect(properties.c?.not).toBeUndefined();
    expect(properties.t?.not).toEqual(refusal);
    expect((properties.a?.prefixItems as Record<string, unknown>[] | undefined)?.[0]?.not).toEqual(refusal);
    expect(properties.v?.not).toBeUndefined();
    expect(properties.net?.not).toBeUndefined();
    expect(properties.c?.pattern).toBe("^[0-9]{1,16}$");
  });

  test("GET parameters that may be empty say so (allowEmptyValue), required ones do not", () => {
    const { document } = validatorFor({
      kind: "action_lifecycle",
      method: "GET",
      url: "/hook?a={Amount}&p={Payout}",
      required: ["p"],
    });
    const operation = document.paths?.["/hook"]?.get as { parameters: Record<string, unknown>[] } | undefined;
    const params = operation?.parameters ?? [];
    expect(params.map((p) => [p.name, p.required, p.allowEmptyValue ?? false])).toEqual([
      ["a", true, true],
      ["p", true, false],
    ]);
  });
});
