/**
 * The template lint: checks a template configuration before any contract is generated, and
 * says for every defect how to fix it. Pure (no file system), so the generator, tests and a CLI
 * can all call it. Facts sheet §4.1 and §9 list the defects it exists for: impact.com's own JSON
 * example is invalid JSON and prints `{DeltaAmo unt}`; macro names are case-sensitive (S29).
 */
import { eventKinds } from "../../../src/macros/event-kinds.js";
import { macroCatalogue } from "../../../src/macros/macro-catalogue.js";
import type { MacroSpec } from "../../../src/macros/macro-spec.js";
import { suggestMacros } from "../../../src/macros/suggest-macros.js";
import { pointerSegment } from "../../../src/pointer.js";
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
