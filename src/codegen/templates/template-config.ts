/**
 * The configuration of one notification as the partner set it up in impact.com
 * (Settings → Technical → Event Notifications; facts §1, §4): which event kind, GET or POST,
 * the URL, and for POST the body template, pasted as they are. One file per configured
 * notification: openapi/templates/<name>.template.json|yaml becomes contract <name>.
 */
import { type EventKind, eventKinds, isEventKind } from "../../macros/event-kinds.js";
import type { MacroFormat } from "../../macros/macro-spec.js";
import { suggestMacros } from "../../macros/suggest-macros.js";
import type { LintIssue } from "./lint-issue.js";

/** A macro the catalogue lacks, declared by the partner (the catalogue has gaps: facts §11). */
export type MacroDeclaration =
  | MacroFormat
  | { readonly format: MacroFormat; readonly meaning?: string; readonly knownValues?: readonly string[] };

export interface TemplateConfig {
  readonly kind: EventKind;
  readonly method: "GET" | "POST";
  /** The URL as entered in impact.com; for GET including the query template. */
  readonly url: string;
  /** POST only. JSON is the documented body format (S5); FORM is application/x-www-form-urlencoded. */
  readonly bodyFormat?: "JSON" | "FORM";
  /** POST only: the body template exactly as pasted into impact.com. */
  readonly body?: string;
  /** Keys that must arrive non-empty (a top-level key, or a JSON pointer such as /action/id). */
  readonly required?: readonly string[];
  /** Keys that may be missing altogether (every other template key is always sent, maybe as ""). */
  readonly optional?: readonly string[];
  readonly macros?: Readonly<Record<string, MacroDeclaration>>;
  readonly description?: string;
}

const configKeys = [
  "$schema",
  "kind",
  "method",
  "url",
  "bodyFormat",
  "body",
  "required",
  "optional",
  "macros",
  "description",
];
export const macroFormats: readonly MacroFormat[] = [
  "decimal",
  "digitId",
  "actionId",
  "dateTime",
  "currency",
  "uuid",
  "openEnum",
  "text",
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");

function configIssue(field: string, message: string, fix: string, suggestions?: string[]): LintIssue {
  return {
    code: "invalid_config",
    severity: "error",
    message,
    fix,
    at: { field },
    ...(suggestions !== undefined && suggestions.length > 0 ? { suggestions } : {}),
  };
}

function checkDeclaration(name: string, value: unknown, issues: LintIssue[]) {
  const format = isRecord(value) ? value.format : value;
  if (typeof format !== "string" || !macroFormats.includes(format as MacroFormat)) {
    issues.push(
      configIssue(
        `macros.${name}`,
        `The declared macro {${name}} has no valid format.`,
        `Use one of: ${macroFormats.join(", ")} (or { "format": …, "knownValues": [...] } for an openEnum).`,
        typeof format === "string" ? suggestMacros(format, macroFormats) : undefined,
      ),
    );
  }
  if (isRecord(value) && value.knownValues !== undefined && !isStringList(value.knownValues)) {
    issues.push(
      configIssue(
        `macros.${name}.knownValues`,
        "knownValues must be a list of strings.",
        'Write e.g. ["NEW", "DONE"].',
      ),
    );
  }
}

/** Checks the shape of a configuration object; the template texts are linted by lintTemplate. */
export function readTemplateConfig(value: unknown): { config?: TemplateConfig; issues: LintIssue[] } {
  const issues: LintIssue[] = [];
  if (!isRecord(value)) {
    return {
      issues: [
        configIssue(
          "",
          "A template configuration must be an object.",
          "See README → Your own templates for the format.",
        ),
      ],
    };
  }
  for (const key of Object.keys(value)) {
    if (!configKeys.includes(key)) {
      issues.push(
        configIssue(
          key,
          `Unknown configuration key "${key}".`,
          `Remove it; known keys: ${configKeys.join(", ")}.`,
          suggestMacros(key, configKeys),
        ),
      );
    }
  }
  const kinds = Object.keys(eventKinds);
  if (!isEventKind(value.kind)) {
    issues.push(
      configIssue(
        "kind",
        `"kind" must name the event type this notification is configured for; got ${JSON.stringify(value.kind)}.`,
        `Use one of: ${kinds.join(", ")}.`,
        typeof value.kind === "string" ? suggestMacros(value.kind, kinds) : undefined,
      ),
    );
  }
  if (value.method !== "GET" && value.method !== "POST") {
    issues.push(
      configIssue(
        "method",
        `"method" must be "GET" or "POST" (impact.com offers only these; S1).`,
        'Write "method": "GET" or "POST".',
      ),
    );
  }
  if (typeof value.url !== "string" || value.url.trim() === "") {
    issues.push(
      configIssue(
        "url",
        '"url" is missing.',
        "Paste the URL exactly as entered in impact.com (for GET, with its query template).",
      ),
    );
  }
  if (value.method === "GET" && (value.body !== undefined || value.bodyFormat !== undefined)) {
    issues.push(
      configIssue(
        "body",
        "A GET notification has no body: impact.com sends the values in the URL's query string.",
        'Remove "body" and "bodyFormat", or set "method": "POST".',
      ),
    );
  }
  if (value.method === "POST") {
    if (typeof value.body !== "string" || value.body.trim() === "") {
      issues.push(
        configIssue(
          "body",
          'A POST notification needs "body": the body template pasted from impact.com.',
          "Paste the template as text (a YAML block scalar `body: |` keeps it readable).",
        ),
      );
    }
    if (value.bodyFormat !== undefined && value.bodyFormat !== "JSON" && value.bodyFormat !== "FORM") {
      issues.push(
        configIssue(
          "bodyFormat",
          `Body format ${JSON.stringify(value.bodyFormat)} is not supported: only JSON is documented by impact.com (S5); FORM (application/x-www-form-urlencoded) is accepted too. XML has no contract support yet.`,
          'Use "bodyFormat": "JSON" (the default) or "FORM", or switch the notification to GET, which impact.com recommends (S1).',
        ),
      );
    }
  }
  for (const list of ["required", "optional"] as const) {
    if (value[list] !== undefined && !isStringList(value[list])) {
      issues.push(
        configIssue(list, `"${list}" must be a list of template keys.`, `Write e.g. "${list}": ["CampaignId"].`),
      );
    }
  }
  if (value.macros !== undefined) {
    if (!isRecord(value.macros)) {
      issues.push(
        configIssue(
          "macros",
          '"macros" must map macro names to formats.',
          'Write e.g. "macros": { "ProductSku": "text" }.',
        ),
      );
    } else {
      for (const [name, declaration] of Object.entries(value.macros)) checkDeclaration(name, declaration, issues);
    }
  }
  if (value.description !== undefined && typeof value.description !== "string") {
    issues.push(
      configIssue("description", '"description" must be text.', "Write one sentence about this notification."),
    );
  }
  return issues.length > 0 ? { issues } : { config: value as unknown as TemplateConfig, issues };
}
