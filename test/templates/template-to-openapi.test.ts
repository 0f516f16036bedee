/**
 * Template → contract through the real pipeline (bundleContract → requestSchemas → ajv), for
 * the presence/emptiness rules: every key is sent, "" is a valid value, unless configured.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { bundleContract } from "../../scripts/lib/contracts.js";
import { requestSchemas } from "../../scripts/lib/request-schemas.js";
import { lintTemplate } from "../../scripts/lib/templates/lint-template.js";
import { templateToOpenApi } from "../../scripts/lib/templates/template-to-openapi.js";

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
  ];
  test.each(cases)("%s", (_, { given, want }) => {
    expect(validate(given)).toBe(want);
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
