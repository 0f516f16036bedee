/**
 * The template lint: every defect of facts §4.1/§9 has a case of its own, and every finding says
 * how to fix it. Table-driven: a configuration in, the finding it must produce out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { LintCode } from "../../scripts/lib/templates/lint-issue.js";
import { lintTemplate } from "../../scripts/lib/templates/lint-template.js";
import { readTemplateContracts } from "../../scripts/lib/templates/read-template-contracts.js";

const get = (query: string, extra: Record<string, unknown> = {}) => ({
  kind: "action_lifecycle",
  method: "GET",
  url: `https://partner.example.com/impact?${query}`,
  ...extra,
});
const post = (body: string, extra: Record<string, unknown> = {}) => ({
  kind: "action_lifecycle",
  method: "POST",
  url: "https://partner.example.com/impact",
  body,
  ...extra,
});

interface Want {
  code: LintCode;
  message: RegExp;
  fix?: RegExp;
  suggestions?: string[];
  line?: number;
  column?: number;
}

const defects: [string, { given: unknown; want: Want }][] = [
  [
    "invalid JSON: impact.com's published example opens with a bare string",
    {
      given: post('{"Action Life Cycle Postback", "campaign_id": "{CampaignId}"}'),
      want: {
        code: "invalid_json",
        message: /"Action Life Cycle Postback" is a bare string/,
        fix: /Remove "Action Life Cycle Postback", or give it a value/,
        line: 1,
        column: 2,
      },
    },
  ],
  [
    "invalid JSON: a trailing comma, located by line and column",
    {
      given: post('{\n  "payout": "{Payout}",\n}'),
      want: { code: "invalid_json", message: /a comma before \}/, fix: /trailing comma/, line: 3, column: 1 },
    },
  ],
  [
    "invalid JSON: not an object",
    { given: post('["{Payout}"]'), want: { code: "invalid_json", message: /must be a JSON object/ } },
  ],
  [
    "a macro split by a space, as printed in impact.com's docs ({DeltaAmo unt})",
    {
      given: post('{"delta_amount": "{DeltaAmo unt}"}'),
      want: {
        code: "unknown_macro",
        message: /Unknown macro \{DeltaAmo unt\}.*Did you mean \{DeltaAmount\}/,
        fix: /Replace \{DeltaAmo unt\} with \{DeltaAmount\}/,
        suggestions: ["DeltaAmount"],
      },
    },
  ],
  [
    "a macro with the wrong case ({Campaignid})",
    {
      given: get("cid={Campaignid}"),
      want: { code: "unknown_macro", message: /case-sensitive/, suggestions: ["CampaignId"] },
    },
  ],
  [
    "a misspelled macro ({Payuot})",
    { given: get("p={Payuot}"), want: { code: "unknown_macro", message: /\{Payuot\}/, suggestions: ["Payout"] } },
  ],
  [
    "a macro of another event kind",
    {
      given: get("r={ResolutionStatus}"),
      want: { code: "unknown_macro", message: /listed for action_inquiry, not for action_lifecycle/ },
    },
  ],
  [
    "a macro for a kind without a documented catalogue",
    {
      given: { ...get("sku={ProductSku}"), kind: "product_data_change" },
      want: { code: "unknown_macro", message: /no documented macros for product_data_change/, fix: /"macros"/ },
    },
  ],
  [
    "a macro not quoted in a JSON template",
    {
      given: post('{"campaign_id": "{CampaignId}", "payout": {Payout}}'),
      want: { code: "unquoted_macro", message: /\{Payout\} is not in quotes/, fix: /Write "\{Payout\}"/, column: 43 },
    },
  ],
  [
    "a duplicate key in a JSON template",
    {
      given: post('{"payout": "{Payout}", "payout": "{DeltaPayout}"}'),
      want: { code: "duplicate_key", message: /"payout" appears twice.*first at line 1, column 2/, column: 24 },
    },
  ],
  [
    "a duplicate key in a GET template",
    {
      given: get("p={Payout}&a={Amount}&p={DeltaPayout}"),
      want: { code: "duplicate_key", message: /"p" appears twice/, fix: /Keep one "p"/ },
    },
  ],
  [
    "a secret-named key with a literal value (GET)",
    {
      given: get("CampaignId={CampaignId}&token=s3cr3t"),
      want: { code: "secret_literal", message: /"token" has a literal value/, fix: /verifyRequest.*secret/ },
    },
  ],
  [
    "a secret-named key with a literal value (JSON, camelCase)",
    {
      given: post('{"payout": "{Payout}", "apiKey": "abc"}'),
      want: { code: "secret_literal", message: /"apiKey"/, fix: /environment variable|process\.env/ },
    },
  ],
  [
    "a long random literal under an innocent name",
    {
      given: get("CampaignId={CampaignId}&ref=Zk3q9XbP0aLr7TmW2yVc5uN8"),
      want: { code: "secret_literal", message: /looks like a generated secret/ },
    },
  ],
  [
    "a password in the URL's authority",
    {
      given: { ...get("p={Payout}"), url: "https://user:hunter2@partner.example.com/impact?p={Payout}" },
      want: { code: "secret_literal", message: /user name and password/ },
    },
  ],
  [
    "a macro in a JSON key",
    {
      given: post('{"{CampaignId}": "{Payout}"}'),
      want: { code: "macro_in_key", message: /keys must be fixed names/ },
    },
  ],
  [
    "a macro in the URL path",
    {
      given: { ...get("p={Payout}"), url: "https://partner.example.com/impact/{CampaignId}?p={Payout}" },
      want: { code: "macro_in_path", message: /in the URL path/, fix: /\?CampaignId=\{CampaignId\}/ },
    },
  ],
  [
    "a misspelled event kind",
    {
      given: { ...get("p={Payout}"), kind: "action_lifecyle" },
      want: { code: "invalid_config", message: /"kind"/, suggestions: ["action_lifecycle"] },
    },
  ],
  [
    "an unsupported body format",
    {
      given: post("<payout>{Payout}</payout>", { bodyFormat: "XML" }),
      want: { code: "invalid_config", message: /XML has no contract support/, fix: /GET/ },
    },
  ],
  [
    "a required key the template does not have",
    {
      given: get("payout={Payout}", { required: ["Payout"] }),
      want: { code: "unknown_key", message: /"Payout", which is not a key/, suggestions: ["payout"] },
    },
  ],
];

describe("lintTemplate finds each defect and says how to fix it", () => {
  test.each(defects)("%s", (_, { given, want }) => {
    const { issues, template } = lintTemplate(given);
    expect(template).toBeUndefined();
    const issue = issues.find((i) => i.code === want.code);
    expect(issue, JSON.stringify(issues, null, 2)).toBeDefined();
    if (issue === undefined) return;
    expect(issue.severity).toBe("error");
    expect(issue.message).toMatch(want.message);
    expect(issue.fix.length).toBeGreaterThan(10);
    if (want.fix !== undefined) expect(issue.fix).toMatch(want.fix);
    if (want.suggestions !== undefined) expect(issue.suggestions).toEqual(want.suggestions);
    if (want.line !== undefined) expect(issue.at.line).toBe(want.line);
    if (want.column !== undefined) expect(issue.at.column).toBe(want.column);
  });
});

describe("lintTemplate accepts what impact.com accepts", () => {
  const clean: [string, unknown][] = [
    ["the observed GET template", get("SubId1={SubId1}&CampaignId={CampaignId}&Payout={Payout}&EventDate={EventDate}")],
    [
      "a JSON template with nested objects and literals",
      post('{"v": 1, "action": {"id": "{ActionId}"}, "net": "impact"}'),
    ],
    ["a declared macro the catalogue lacks", post('{"sku": "{ProductSku}"}', { macros: { ProductSku: "text" } })],
    ["a FORM body template", post("payout={Payout}&status={Status}", { bodyFormat: "FORM" })],
    ["a short non-secret literal", get("network=impact&p={Payout}")],
  ];
  test.each(clean)("%s", (_, given) => {
    const { issues, template } = lintTemplate(given);
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(template).toBeDefined();
  });

  test("text mixed with macros is a warning, not an error", () => {
    const { issues, template } = lintTemplate(get("order=Order%20{Oid}"));
    expect(template).toBeDefined();
    expect(issues).toMatchObject([{ code: "mixed_value", severity: "warning" }]);
  });
});

describe("generation stops on lint errors (readTemplateContracts)", () => {
  const dir = mkdtempSync(join(tmpdir(), "templates-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("every error of every file, with file, position, code and fix", () => {
    const templates = join(dir, "bad");
    mkdirSync(templates);
    writeFileSync(join(templates, "a.template.json"), JSON.stringify(post('{"payout": {Payout}}')));
    writeFileSync(join(templates, "b.template.json"), JSON.stringify(get("c={Campaignid}")));
    expect(() => readTemplateContracts(templates, dir)).toThrowError(
      /2 error\(s\)[\s\S]*bad\/a\.template\.json body:1:12 unquoted_macro[\s\S]*fix: Write[\s\S]*bad\/b\.template\.json url:1:\d+ unknown_macro[\s\S]*\{CampaignId\}/,
    );
  });

  test("two templates on one route are refused", () => {
    const templates = join(dir, "same-route");
    mkdirSync(templates);
    writeFileSync(join(templates, "a.template.json"), JSON.stringify(get("p={Payout}")));
    writeFileSync(join(templates, "b.template.json"), JSON.stringify(get("a={Amount}")));
    expect(() => readTemplateContracts(templates, dir)).toThrowError(/duplicate_route: GET \/impact/);
  });

  test("a clean file becomes a contract input named after the file", () => {
    const templates = join(dir, "good");
    mkdirSync(templates);
    writeFileSync(join(templates, "my-clearing.template.json"), JSON.stringify(get("p={Payout}")));
    const { inputs } = readTemplateContracts(templates, dir);
    expect(inputs.map((i) => [i.name, i.origin])).toEqual([["my-clearing", "good/my-clearing.template.json"]]);
  });
});
