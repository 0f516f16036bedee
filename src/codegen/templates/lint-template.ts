/**
 * The template lint: checks a template configuration before any contract is generated, and
 * says for every defect how to fix it. Pure (no file system), so the generator, tests and a CLI
 * can all call it. Facts sheet §4.1 and §9 list the defects it exists for: impact.com's own JSON
 * example is invalid JSON and prints `{DeltaAmo unt}`; macro names are case-sensitive (S29).
 */
import { eventKinds } from "../../macros/event-kinds.js";
import { macroCatalogue } from "../../macros/macro-catalogue.js";
import type { MacroSpec } from "../../macros/macro-spec.js";
import { suggestMacros } from "../../macros/suggest-macros.js";
import { pointerSegment } from "../../pointer.js";
import type { FieldMember, FieldShape } from "./field-shape.js";
import type { LintIssue } from "./lint-issue.js";
import { parseJsonTemplate } from "./parse-json-template.js";
import { parseQueryTemplate, parseUrlTemplate } from "./parse-url-template.js";
import { positionOf } from "./position-of.js";
import { MACRO_NAME, scanMacros } from "./scan-macros.js";
import { isSecretName, looksRandom } from "./secret-looking.js";
import { type MacroDeclaration, readTemplateConfig, type TemplateConfig } from "./template-config.js";
import type { TemplateNode } from "./template-node.js";

export interface LintedTemplate {
  readonly config: TemplateConfig;
  /** Request path of the configured URL: what impact.com calls. */
  readonly path: string;
  readonly delivery: "GET" | "POST";
  readonly mediaType?: "application/json" | "application/x-www-form-urlencoded";
  readonly shape: FieldShape & { type: "object" };
}

export interface TemplateLintResult {
  /** Every finding, errors first. */
  readonly issues: readonly LintIssue[];
  /** Present when there is no error: what the contract is generated from. */
  readonly template?: LintedTemplate;
}

function declared(name: string, d: MacroDeclaration): MacroSpec {
  const spec = typeof d === "string" ? { format: d } : d;
  return {
    name,
    format: spec.format,
    meaning: "meaning" in spec && spec.meaning !== undefined ? spec.meaning : `Declared in the template configuration`,
    sources: ["template configuration"],
    evidence: { name: ["I"], value: ["I"] },
    examples: [],
    ...("knownValues" in spec && spec.knownValues !== undefined ? { knownValues: spec.knownValues } : {}),
  };
}

/**
 * Amount macros and the payout macro a partner usually means when the key names an earning:
 * `{Amount}` is the order total (the brand's sale), `{Payout}` the partner's commission.
 */
const payoutFor: Readonly<Record<string, { payout: string; what: string }>> = {
  Amount: { payout: "Payout", what: "the order total (sale amount)" },
  DeltaAmount: { payout: "DeltaPayout", what: "the change in the sale amount" },
  IntendedAmount: { payout: "IntendedPayout", what: "the sale amount before modifications" },
};

/** Words of a key (snake, kebab, camel or Pascal case), lower-cased: `partnerPayout` → partner, payout. */
const keyWords = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");

const EARNING_STEM = /payout|commission|revenue|reward/;
const EARNING_WORD = /^earn(?:s|ed|ings?)?$/;

/** True for a key named like what the partner earns: payout, Payout, partner_payout, commissionTotal, earnings… */
function looksLikeEarnings(key: string): boolean {
  return keyWords(key).some((w) => EARNING_STEM.test(w) || EARNING_WORD.test(w));
}

const secretFix = (what: string) =>
  `Delete ${what} from this file and keep the secret only in impact.com's settings: template files and the contracts generated from them are committed. Check it at run time with verifyRequest's \`secret: { values: process.env.IMPACT_SECRET, queryParameter }\` option (or a header), which also removes it before validation.`;

export function lintTemplate(value: unknown): TemplateLintResult {
  const read = readTemplateConfig(value);
  if (read.config === undefined) return { issues: read.issues };
  const config = read.config;
  const issues: LintIssue[] = [];
  const known = new Map<string, MacroSpec>(macroCatalogue[config.kind].map((m) => [m.name, m]));
  for (const [name, d] of Object.entries(config.macros ?? {})) known.set(name, declared(name, d));

  const url = parseUrlTemplate(config.url);
  issues.push(...url.issues);
  if (url.userinfoOffset !== undefined) {
    issues.push({
      code: "secret_literal",
      severity: "error",
      message: "The URL carries a user name and password (user:password@host).",
      fix: secretFix("the user:password@ part"),
      at: positionOf("url", config.url, url.userinfoOffset),
    });
  }
  for (const token of scanMacros(config.url.slice(0, url.pathOffset + url.path.length), 0)) {
    if (token.offset >= url.pathOffset) {
      issues.push({
        code: "macro_in_path",
        severity: "error",
        message: `The macro {${token.name}} is in the URL path; contracts check query parameters and bodies, not path segments.`,
        fix: `Move it to the query string: ?${token.name.replace(/\s+/g, "")}={${token.name}}.`,
        at: positionOf("url", config.url, token.offset),
      });
    }
  }

  let root: TemplateNode | undefined;
  let field = "url";
  let text = config.url;
  let mediaType: LintedTemplate["mediaType"];
  if (config.method === "GET") {
    root = url.query;
  } else {
    field = "body";
    text = config.body ?? "";
    if (config.bodyFormat === "FORM") {
      mediaType = "application/x-www-form-urlencoded";
      const form = parseQueryTemplate(text, 0, text.length, field);
      issues.push(...form.issues);
      root = form.node;
    } else {
      mediaType = "application/json";
      const json = parseJsonTemplate(text, field);
      issues.push(...json.issues);
      root = json.root;
    }
    // Query parameters of a POST URL are part of the configured URL, not the notification.
  }

  const otherKinds = (name: string) =>
    (Object.keys(macroCatalogue) as (keyof typeof macroCatalogue)[]).filter(
      (k) => k !== config.kind && macroCatalogue[k].some((m) => m.name === name),
    );

  const resolve = (token: { name: string; offset: number }): MacroSpec | undefined => {
    const spec = known.get(token.name);
    if (spec !== undefined) return spec;
    const suggestions = suggestMacros(token.name, [...known.keys()]);
    const elsewhere = MACRO_NAME.test(token.name) ? otherKinds(token.name) : [];
    const hint =
      suggestions.length > 0
        ? ` Did you mean ${suggestions.map((s) => `{${s}}`).join(" or ")}? Macro names are case-sensitive and contain no spaces.`
        : "";
    const where = elsewhere.length > 0 ? ` It is listed for ${elsewhere.join(", ")}, not for ${config.kind}.` : "";
    const empty = known.size === 0 ? ` The catalogue has no documented macros for ${config.kind} (facts §11).` : "";
    issues.push({
      code: "unknown_macro",
      severity: "error",
      message: `Unknown macro {${token.name}} for ${eventKinds[config.kind].title}.${hint}${where}${empty}`,
      fix:
        suggestions.length > 0
          ? `Replace {${token.name}} with {${suggestions[0]}} here and in impact.com. If impact.com really offers {${token.name}}, declare it under "macros" with its format.`
          : `Check the macro list in impact.com's Event Notifications settings. If impact.com offers {${token.name}}, declare it under "macros" with its format, e.g. "macros": { "${token.name.replace(/\s+/g, "")}": "text" }.`,
      at: positionOf(field, text, token.offset),
      ...(suggestions.length > 0 ? { suggestions } : {}),
    });
    return undefined;
  };

  const shapeOf = (node: TemplateNode, pointer: string, key: string | undefined): FieldShape => {
    switch (node.type) {
      case "literal":
        return { type: "const", value: node.value };
      case "array":
        return { type: "array", items: node.items.map((item, n) => shapeOf(item, `${pointer}/${n}`, undefined)) };
      case "object":
        return { type: "object", members: members(node, pointer) };
      case "text": {
        const specs = node.macros.map(resolve).filter((s): s is MacroSpec => s !== undefined);
        if (key !== undefined && looksLikeEarnings(key)) {
          for (const token of node.macros) {
            const pair = payoutFor[token.name];
            if (pair === undefined || !known.has(token.name) || !known.has(pair.payout)) continue;
            issues.push({
              code: "amount_as_payout",
              severity: "warning",
              message: `${JSON.stringify(key)} is named like a payout or commission but receives {${token.name}}, ${pair.what}, not what the partner earns.`,
              fix: `{${pair.payout}} is what the partner earns: use "{${pair.payout}}" for ${JSON.stringify(key)} here and in impact.com. If the key really holds ${pair.what}, rename it (e.g. "sale_amount") so that nobody books it as earnings.`,
              at: positionOf(field, text, token.offset),
            });
          }
        }
        if (node.macros.length === 0) {
          const secretName = key !== undefined && isSecretName(key) && node.text !== "";
          if (secretName || looksRandom(node.text)) {
            issues.push({
              code: "secret_literal",
              severity: "error",
              message: secretName
                ? `${JSON.stringify(key)} has a literal value in the template; its name says it is a secret.`
                : `The literal value at ${pointer} looks like a generated secret (long and random).`,
              fix: secretFix(key === undefined ? "this value" : JSON.stringify(key)),
              at: positionOf(field, text, node.offset),
            });
          }
          return { type: "const", value: node.text };
        }
        const whole = node.macros[0];
        if (
          node.macros.length === 1 &&
          whole !== undefined &&
          node.text === `{${whole.name}}` &&
          specs[0] !== undefined
        ) {
          return { type: "macro", macro: specs[0] };
        }
        if (node.macros.length > 1 || node.text !== `{${whole?.name}}`) {
          issues.push({
            code: "mixed_value",
            severity: "warning",
            message: `The value at ${pointer} mixes text and macros; it can only be checked as free text.`,
            fix: "Give each macro a key of its own if you want its format checked.",
            at: positionOf(field, text, node.offset),
          });
        }
        return { type: "text", macros: specs };
      }
    }
  };

  const members = (node: TemplateNode & { type: "object" }, pointer: string): FieldMember[] =>
    node.entries.map((entry) => {
      const inKey = scanMacros(entry.key);
      if (inKey.length > 0) {
        issues.push({
          code: "macro_in_key",
          severity: "error",
          message: `The key ${JSON.stringify(entry.key)} contains a macro; keys must be fixed names for a contract to describe them.`,
          fix: `Use a fixed key and put the macro in the value: "${entry.key.replace(/[{}\s]/g, "").toLowerCase()}": "{${inKey[0]?.name}}".`,
          at: positionOf(field, text, entry.offset),
        });
      }
      const at = `${pointer}/${pointerSegment(entry.key)}`;
      const listed = (list: readonly string[] | undefined) =>
        list?.some((k) => k === at || (pointer === "" && k === entry.key)) === true;
      return {
        key: entry.key,
        pointer: at,
        shape: shapeOf(entry.value, at, entry.key),
        present: !listed(config.optional),
        nonEmpty: listed(config.required),
      };
    });

  const shape = root?.type === "object" ? { type: "object" as const, members: members(root, "") } : undefined;

  if (config.kind === "action_lifecycle" && root?.type === "object") {
    // Anywhere in what impact.com fills in: the URL (query, also of a POST) and the body.
    const used = new Set([...scanMacros(config.url), ...scanMacros(config.body ?? "")].map((t) => t.name));
    const json = mediaType === "application/json";
    const example = (k: string, macro: string) => (json ? `"${k}": "{${macro}}"` : `${k}={${macro}}`);
    const where = `in impact.com's ${field === "url" ? "URL" : "Body"} field and in this file`;
    const at = positionOf(field, text, root.offset);
    if (!used.has("Status")) {
      issues.push({
        code: "missing_status",
        severity: "warning",
        message:
          "The lifecycle template has no {Status}: a reversal or a modification of an action then arrives looking like a new action, and cannot be told apart from one.",
        fix: `Add the status, e.g. ${example("status", "Status")}, ${where}.`,
        at,
      });
    }
    if (!used.has("ActionId")) {
      issues.push({
        code: "missing_action_id",
        severity: "warning",
        message:
          "The lifecycle template has no {ActionId}: impact.com sends a notification for every change of an action (tracked, modified, reversed), and without its id they cannot be de-duplicated or matched to the action they update.",
        fix: `Add the action id, e.g. ${example("action_id", "ActionId")}, ${where}.`,
        at,
      });
    }
  }

  if (shape !== undefined) {
    const pointers: string[] = [];
    const collect = (s: FieldShape) => {
      if (s.type === "object")
        for (const m of s.members) {
          pointers.push(m.pointer);
          collect(m.shape);
        }
    };
    collect(shape);
    const keys = [...pointers, ...shape.members.map((m) => m.key)];
    for (const list of ["required", "optional"] as const) {
      for (const k of config[list] ?? []) {
        if (!keys.includes(k)) {
          const suggestions = suggestMacros(k, k.startsWith("/") ? pointers : shape.members.map((m) => m.key));
          issues.push({
            code: "unknown_key",
            severity: "error",
            message: `"${list}" names ${JSON.stringify(k)}, which is not a key of the template.`,
            fix: "List keys as they appear in the template (a top-level key, or a JSON pointer such as /action/id).",
            at: { field: list },
            ...(suggestions.length > 0 ? { suggestions } : {}),
          });
        }
      }
    }
  }

  const sorted = [...issues].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  if (shape === undefined || sorted.some((i) => i.severity === "error")) return { issues: sorted };
  return {
    issues: sorted,
    template: {
      config,
      path: url.path,
      delivery: config.method,
      ...(mediaType === undefined ? {} : { mediaType }),
      shape,
    },
  };
}
