/**
 * A linted template → one OpenAPI 3.1 document, the same kind of input as the documented
 * contract, so types, validators, the registry and Prism all come from the one pipeline
 * (scripts/generate.ts). Value grammars are referenced by name (`x-impact-format`) and expanded
 * by the bundler from src/formats.ts, exactly as for the documented contract's overlay.
 *
 * Presence and emptiness follow what impact.com does: it fills in the whole template every time,
 * and a macro without a value becomes "" (facts §4, S16). So every key is required and every
 * macro value may be "", unless the configuration lists the key as optional (may be missing)
 * or required (must not be empty).
 *
 * Every macro and text value also refuses a value that is a whole `{Macro}` placeholder, which is
 * what impact.com sends for a macro it does not know (unsubstituted-macro.ts). Literal (`const`)
 * values do not need it: they are checked as written.
 */
import { eventKinds } from "../../macros/event-kinds.js";
import type { MacroSpec } from "../../macros/macro-spec.js";
import type { FieldMember, FieldShape } from "./field-shape.js";
import type { LintedTemplate } from "./lint-template.js";
import { refuseUnsubstitutedMacro } from "./unsubstituted-macro.js";

type Schema = Record<string, unknown>;

const pascal = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => (w[0] as string).toUpperCase() + w.slice(1))
    .join("");

function describeMacro(m: MacroSpec): string {
  const evidence = `name ${m.evidence.name.join("+")}, value ${m.evidence.value.join("+")}`;
  return `${m.meaning}. impact.com macro {${m.name}} (sources: ${m.sources.join(", ")}; evidence: ${evidence}).`;
}

function macroSchema(m: MacroSpec, nonEmpty: boolean): Schema {
  const schema: Schema = { type: "string", "x-impact-macro": m.name };
  if (m.format === "openEnum" || m.format === "text") {
    if (m.knownValues !== undefined) schema["x-impact-known-values"] = [...m.knownValues];
    if (nonEmpty) schema["x-impact-format"] = "text";
  } else {
    schema["x-impact-format"] = nonEmpty ? m.format : `${m.format}OrEmpty`;
  }
  const examples = m.examples.filter((e) => !nonEmpty || e !== "");
  if (examples.length > 0) schema.examples = [...examples];
  // Free text accepts a whole {Macro} unless told not to; every other format's pattern refuses
  // braces already (and the runtime names that failure unsubstituted_macro by its value).
  return m.format === "openEnum" || m.format === "text" ? refuseUnsubstitutedMacro(schema) : schema;
}

function schemaOf(shape: FieldShape, nonEmpty: boolean): Schema {
  switch (shape.type) {
    case "macro":
      return macroSchema(shape.macro, nonEmpty);
    case "text":
      return refuseUnsubstitutedMacro({
        type: "string",
        ...(nonEmpty ? { "x-impact-format": "text" } : {}),
        ...(shape.macros.length > 0 ? { "x-impact-macros": shape.macros.map((m) => m.name) } : {}),
      });
    case "const":
      return typeof shape.value === "string" ? { type: "string", const: shape.value } : { const: shape.value };
    case "array":
      return {
        type: "array",
        prefixItems: shape.items.map((s) => schemaOf(s, false)),
        items: false,
        minItems: shape.items.length,
        maxItems: shape.items.length,
      };
    case "object":
      return objectSchema(shape.members);
  }
}

function memberDescription(member: FieldMember): string | undefined {
  const s = member.shape;
  if (s.type === "macro") return describeMacro(s.macro);
  if (s.type === "text") return `Text with ${s.macros.map((m) => `{${m.name}}`).join(", ")}, checked as free text.`;
  if (s.type === "const") return "Literal value of the template, sent as written.";
  return undefined;
}

function objectSchema(members: readonly FieldMember[]): Schema {
  const properties: Schema = {};
  for (const m of members) {
    const description = memberDescription(m);
    properties[m.key] = { ...(description === undefined ? {} : { description }), ...schemaOf(m.shape, m.nonEmpty) };
  }
  const required = members.filter((m) => m.present).map((m) => m.key);
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

/**
 * A filled-in example from the catalogue's example values, as impact.com would send it. It is
 * put into the contract (Prism and docs show it) and tests check it against the contract.
 */
export function exampleOf(shape: FieldShape, nonEmpty = false): unknown {
  switch (shape.type) {
    case "macro":
      return shape.macro.examples.find((e) => !nonEmpty || e !== "") ?? "";
    case "text":
      return nonEmpty ? "text" : "";
    case "const":
      return shape.value;
    case "array":
      return shape.items.map((s) => exampleOf(s));
    case "object":
      return Object.fromEntries(shape.members.map((m) => [m.key, exampleOf(m.shape, m.nonEmpty)]));
  }
}

function mayBeEmpty(member: FieldMember): boolean {
  return !member.nonEmpty && (member.shape.type === "macro" || member.shape.type === "text");
}

export function templateToOpenApi(name: string, source: string, template: LintedTemplate): Record<string, unknown> {
  const kind = eventKinds[template.config.kind];
  const description = [
    template.config.description,
    `Generated from the template in ${source}: ${kind.title}, fired when ${kind.firesWhen} (${kind.sources.join(", ")}).`,
    "Every value is a string; a macro without a value arrives as an empty string. A value that is a whole {Macro} placeholder is refused (unsubstituted_macro): impact.com did not substitute that macro.",
  ]
    .filter((s) => s !== undefined)
    .join("\n\n");
  const actionIdField = template.shape.members.find(
    (m) => m.shape.type === "macro" && m.shape.macro.name === "ActionId",
  )?.key;
  const responses = {
    "200": { description: "Acknowledged; impact.com does not retry." },
    "202": { description: "Accepted; same effect as 200 for impact.com." },
  };
  const operation: Schema = {
    operationId: `receive${pascal(name)}`,
    summary: `Receive ${kind.title} (${template.delivery})`,
    description,
    responses,
  };
  if (template.delivery === "GET") {
    operation.parameters = template.shape.members.map((m) => {
      const desc = memberDescription(m);
      return {
        name: m.key,
        in: "query",
        required: m.present,
        // OpenAPI: an empty query value is invalid unless allowed (Prism honours this).
        ...(mayBeEmpty(m) ? { allowEmptyValue: true } : {}),
        ...(desc === undefined ? {} : { description: desc }),
        schema: schemaOf(m.shape, m.nonEmpty),
        example: exampleOf(m.shape, m.nonEmpty),
      };
    });
  } else {
    const media = template.mediaType ?? "application/json";
    operation.requestBody = {
      required: true,
      content: { [media]: { schema: objectSchema(template.shape.members), example: exampleOf(template.shape) } },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: `${name}: ${kind.title} (${template.delivery})`, version: "1", description },
    "x-impact-template": {
      kind: template.config.kind,
      delivery: template.delivery,
      path: template.path,
      source,
      // The inbox processes the notifications of one action in order, by this field's value.
      ...(actionIdField === undefined ? {} : { actionIdField }),
    },
    paths: { [template.path]: { [template.delivery.toLowerCase()]: operation } },
  };
}
