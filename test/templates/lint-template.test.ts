/**
 * The template lint: every defect of facts §4.1/§9 has a case of its own, and every finding says
 * how to fix it. Table-driven: a configuration in, the finding it must produce out.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { LintCode } from "../../src/codegen/templates/lint-issue.js";
import { lintTemplate } from "../../src/codegen/templates/lint-template.js";
import { readTemplateContracts } from "../../src/codegen/templates/read-template-contracts.js";

const root = join(import.meta.dirname, "..", "..");

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
    // A lifecycle template without {Status} and {ActionId} also gets those two warnings.
    expect(issues).toMatchObject([
      { code: "mixed_value", severity: "warning" },
      { code: "missing_status", severity: "warning" },
      { code: "missing_action_id", severity: "warning" },
    ]);
  });
});

/** Status and action id present, so only the warning under test can appear. */
const ids = "status={Status}&action_id={ActionId}";
const idsJson = '"status": "{Status}", "action_id": "{ActionId}"';
const column = (text: string, of: string) => text.indexOf(of) + 1;

interface WantWarning {
  code: LintCode;
  message: RegExp;
  fix: RegExp;
  field: string;
  line: number;
  column: number;
}

const warnings: [string, { given: { url: string; body?: string }; want: WantWarning }][] = [
  [
    "{Amount} under payout (GET)",
    {
      given: get(`${ids}&payout={Amount}`),
      want: {
        code: "amount_as_payout",
        message: /"payout" is named like a payout.*\{Amount\}, the order total/,
        fix: /\{Payout\} is what the partner earns/,
        field: "url",
        line: 1,
        column: column(get(`${ids}&payout={Amount}`).url, "{Amount}"),
      },
    },
  ],
  [
    "{Amount} under partner_payout (JSON, on line 3)",
    {
      given: post(`{\n  ${idsJson},\n  "partner_payout": "{Amount}"\n}`),
      want: {
        code: "amount_as_payout",
        message: /"partner_payout"/,
        fix: /"\{Payout\}" for "partner_payout"/,
        field: "body",
        line: 3,
        column: 22,
      },
    },
  ],
  [
    "{Amount} under camelCase partnerCommission",
    {
      given: post(`{${idsJson}, "partnerCommission": "{Amount}"}`),
      want: {
        code: "amount_as_payout",
        message: /"partnerCommission"/,
        fix: /\{Payout\}/,
        field: "body",
        line: 1,
        column: column(`{${idsJson}, "partnerCommission": "{Amount}"}`, "{Amount}"),
      },
    },
  ],
  [
    "{Amount} under Revenue (capitalised)",
    {
      given: get(`${ids}&Revenue={Amount}`),
      want: {
        code: "amount_as_payout",
        message: /"Revenue"/,
        fix: /\{Payout\}/,
        field: "url",
        line: 1,
        column: column(get(`${ids}&Revenue={Amount}`).url, "{Amount}"),
      },
    },
  ],
  [
    "{Amount} under EARNINGS (upper case)",
    {
      given: get(`${ids}&EARNINGS={Amount}`),
      want: {
        code: "amount_as_payout",
        message: /"EARNINGS"/,
        fix: /\{Payout\}/,
        field: "url",
        line: 1,
        column: column(get(`${ids}&EARNINGS={Amount}`).url, "{Amount}"),
      },
    },
  ],
  [
    "{Amount} under reward in a FORM body",
    {
      given: post(`${ids}&reward={Amount}`, { bodyFormat: "FORM" }),
      want: {
        code: "amount_as_payout",
        message: /"reward"/,
        fix: /\{Payout\}/,
        field: "body",
        line: 1,
        column: column(`${ids}&reward={Amount}`, "{Amount}"),
      },
    },
  ],
  [
    "{Amount} inside mixed text under a payout key",
    {
      given: get(`${ids}&payout=USD%20{Amount}`),
      want: {
        code: "amount_as_payout",
        message: /\{Amount\}/,
        fix: /\{Payout\}/,
        field: "url",
        line: 1,
        column: column(get(`${ids}&payout=USD%20{Amount}`).url, "{Amount}"),
      },
    },
  ],
  [
    "{DeltaAmount} under delta_payout: the fix names {DeltaPayout}",
    {
      given: post(`{${idsJson}, "delta_payout": "{DeltaAmount}"}`),
      want: {
        code: "amount_as_payout",
        message: /\{DeltaAmount\}, the change in the sale amount/,
        fix: /\{DeltaPayout\} is what the partner earns/,
        field: "body",
        line: 1,
        column: column(`{${idsJson}, "delta_payout": "{DeltaAmount}"}`, "{DeltaAmount}"),
      },
    },
  ],
  [
    "a GET lifecycle template without {Status}",
    {
      given: get("action_id={ActionId}&payout={Payout}"),
      want: {
        code: "missing_status",
        message: /no \{Status\}.*reversal or a modification.*cannot be told apart/,
        fix: /status=\{Status\}.*impact\.com.*this file/,
        field: "url",
        line: 1,
        column: column(get("action_id={ActionId}").url, "action_id"),
      },
    },
  ],
  [
    "a JSON lifecycle template without {ActionId}, located at the body's {",
    {
      given: post('\n  {"status": "{Status}", "payout": "{Payout}"}'),
      want: {
        code: "missing_action_id",
        message: /no \{ActionId\}.*de-duplicated/,
        fix: /"action_id": "\{ActionId\}".*impact\.com.*this file/,
        field: "body",
        line: 2,
        column: 3,
      },
    },
  ],
  [
    "a FORM lifecycle template with {StatusDetail} but not {Status}",
    {
      given: post("action_id={ActionId}&detail={StatusDetail}", { bodyFormat: "FORM" }),
      want: {
        code: "missing_status",
        message: /no \{Status\}/,
        fix: /status=\{Status\}/,
        field: "body",
        line: 1,
        column: 1,
      },
    },
  ],
];

describe("lintTemplate warns about templates that are valid but probably wrong", () => {
  test.each(warnings)("%s", (_, { given, want }) => {
    const { issues, template } = lintTemplate(given);
    // A warning never stops generation.
    expect(template).toBeDefined();
    expect(issues.filter((i) => i.severity === "error")).toEqual([]);
    const found = issues.filter((i) => i.code === want.code);
    expect(found, JSON.stringify(issues, null, 2)).toHaveLength(1);
    const [issue] = found;
    expect(issue?.severity).toBe("warning");
    expect(issue?.message).toMatch(want.message);
    expect(issue?.fix).toMatch(want.fix);
    expect(issue?.at).toEqual({ field: want.field, line: want.line, column: want.column });
  });

  const quiet: [string, unknown][] = [
    ["{Payout} under payout", get(`${ids}&payout={Payout}`)],
    ["{Amount} under amount", get(`${ids}&amount={Amount}`)],
    ["{Amount} under sale_amount", post(`{${idsJson}, "sale_amount": "{Amount}"}`)],
    ["{Amount} under orderTotal", post(`{${idsJson}, "orderTotal": "{Amount}"}`)],
    ["{Amount} under learning (contains 'earning' but is another word)", get(`${ids}&learning={Amount}`)],
    ["{OriginalAmount} under commission (no payout counterpart)", get(`${ids}&commission={OriginalAmount}`)],
    ["{Payout} and {Amount} under their own names", get(`${ids}&payout={Payout}&amount={Amount}`)],
    ["{Status} and {ActionId} inside mixed text", get("s=st-{Status}&a=id-{ActionId}")],
    ["{Status} only in a POST URL's query", post('{"action_id": "{ActionId}"}', { url: "/impact?status={Status}" })],
    ["the documented keys of the repository's POST template", post(`{${idsJson}, "payout": "{Payout}"}`)],
  ];
  test.each(quiet)("no warning: %s", (_, given) => {
    const { issues, template } = lintTemplate(given);
    expect(template).toBeDefined();
    // mixed_value (text around a macro) is the one older warning some of these cases get.
    expect(issues.filter((i) => i.code !== "mixed_value")).toEqual([]);
  });

  test("Status and action id warnings are for lifecycle templates only", () => {
    const { issues } = lintTemplate({ ...get("payout={Payout}"), kind: "action_clearing" });
    expect(issues).toEqual([]);
  });

  test("a misspelled {status} is an error, and the template still lacks {Status}", () => {
    const { issues, template } = lintTemplate(get("status={status}&action_id={ActionId}"));
    expect(template).toBeUndefined();
    expect(issues.map((i) => [i.code, i.severity])).toEqual([
      ["unknown_macro", "error"],
      ["missing_status", "warning"],
    ]);
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

  test("the repository's observed GET template gets both lifecycle warnings and is still generated", () => {
    const { inputs, warnings } = readTemplateContracts(join(root, "openapi", "templates"), root);
    expect(inputs.map((i) => i.name)).toEqual(["lifecycle-get", "lifecycle-post"]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^⚠ openapi\/templates\/lifecycle-get\.template\.json url:1:\d+ missing_status: [\s\S]*fix: /,
      ),
      expect.stringMatching(
        /^⚠ openapi\/templates\/lifecycle-get\.template\.json url:1:\d+ missing_action_id: [\s\S]*fix: /,
      ),
    ]);
  });

  test("a clean file becomes a contract input named after the file", () => {
    const templates = join(dir, "good");
    mkdirSync(templates);
    writeFileSync(join(templates, "my-clearing.template.json"), JSON.stringify(get("p={Payout}")));
    const { inputs } = readTemplateContracts(templates, dir);
    expect(inputs.map((i) => [i.name, i.origin])).toEqual([["my-clearing", "good/my-clearing.template.json"]]);
  });
});
