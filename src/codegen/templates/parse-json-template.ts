/**
 * Parses a POST JSON body template as impact.com stores it: JSON whose string values hold
 * `{Macro}` placeholders. A hand-written parser rather than JSON.parse, because the lint needs
 * what JSON.parse hides or cannot say: duplicate keys (JSON.parse keeps the last silently), the
 * line and column of a defect, an unquoted `{Payout}` told apart from other syntax errors, and
 * a targeted hint for the bare string that opens impact.com's own published example
 * (`{"Action Life Cycle Postback", …`, facts §4.1, S8).
 */
import type { LintIssue } from "./lint-issue.js";
import { positionOf } from "./position-of.js";
import { scanMacros } from "./scan-macros.js";
import type { TemplateEntry, TemplateNode } from "./template-node.js";

const MAX_DEPTH = 32;
const UNQUOTED_MACRO = /\{([A-Za-z][A-Za-z0-9 ]{0,63})\}/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Stop extends Error {}

export function parseJsonTemplate(text: string, field = "body"): { root?: TemplateNode; issues: LintIssue[] } {
  const issues: LintIssue[] = [];
  let i = 0;

  const invalid = (offset: number, problem: string, fix?: string): never => {
    issues.push({
      code: "invalid_json",
      severity: "error",
      message: `The ${field} template is not valid JSON: ${problem}.`,
      fix:
        fix ??
        "Correct the JSON at this position, check it with a JSON validator, then paste the same text into impact.com's Body field. impact.com sends the template as written, so invalid JSON there means invalid bodies for every notification.",
      at: positionOf(field, text, offset),
    });
    throw new Stop();
  };

  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };

  const str = (): { value: string; rawStart: number } => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) invalid(i, "a line break or control character inside a string", "Escape it (\\n) or remove it.");
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) invalid(start, "a string is never closed", 'Add the closing " of this string.');
    i++;
    try {
      return { value: JSON.parse(text.slice(start, i)) as string, rawStart: start + 1 };
    } catch {
      return invalid(
        start,
        "a string has an invalid escape sequence",
        'Use only JSON escapes: \\" \\\\ \\/ \\n \\t \\uXXXX.',
      );
    }
  };

  const value = (depth: number): TemplateNode => {
    if (depth > MAX_DEPTH) invalid(i, `nesting deeper than ${MAX_DEPTH} levels`, "Flatten the template.");
    ws();
    const offset = i;
    const c = text[i];
    if (c === "{") {
      UNQUOTED_MACRO.lastIndex = i;
      const macro = UNQUOTED_MACRO.exec(text);
      if (macro !== null) {
        const name = macro[1] as string;
        issues.push({
          code: "unquoted_macro",
          severity: "error",
          message: `The macro {${name}} is not in quotes. impact.com substitutes text, so an empty value leaves invalid JSON ("key": ,) and a text value breaks the body.`,
          fix: `Write "{${name}}" with double quotes; every value arrives as a string, and the contract checks its format.`,
          at: positionOf(field, text, offset),
        });
        i += macro[0].length;
        return { type: "text", text: macro[0], macros: scanMacros(macro[0], offset), offset, unquoted: true };
      }
      return object(depth);
    }
    if (c === "[") return array(depth);
    if (c === '"') {
      const { value: s, rawStart } = str();
      return { type: "text", text: s, macros: scanMacros(text.slice(rawStart, i - 1), rawStart), offset };
    }
    NUMBER.lastIndex = i;
    const n = NUMBER.exec(text);
    if (n !== null) {
      i += n[0].length;
      return { type: "literal", value: Number(n[0]), offset };
    }
    for (const [word, literal] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { type: "literal", value: literal, offset };
      }
    }
    return invalid(
      offset,
      c === undefined
        ? "the text ends where a value is expected"
        : `unexpected ${JSON.stringify(c)} where a value is expected`,
      'Every value must be a string in double quotes ("{Payout}"), a number, true, false, null, an object or an array.',
    );
  };

  const object = (depth: number): TemplateNode => {
    const offset = i;
    i++; // {
    const entries: TemplateEntry[] = [];
    const seen = new Map<string, number>();
    ws();
    if (text[i] === "}") {
      i++;
      return { type: "object", entries, offset };
    }
    for (;;) {
      ws();
      const keyOffset = i;
      if (text[i] !== '"') {
        invalid(
          i,
          text[i] === "}" ? "a comma before }" : "an object key is not in double quotes",
          text[i] === "}"
            ? "Remove the trailing comma."
            : 'Write every key in double quotes: "campaign_id": "{CampaignId}".',
        );
      }
      const { value: key } = str();
      ws();
      if (text[i] !== ":") {
        if (text[i] === "," || text[i] === "}") {
          invalid(
            keyOffset,
            `${JSON.stringify(key)} is a bare string where a "key": "value" pair belongs (impact.com's published example starts like this)`,
            `Remove ${JSON.stringify(key)}, or give it a value, e.g. "event": ${JSON.stringify(key)}.`,
          );
        }
        invalid(i, `expected ":" after the key ${JSON.stringify(key)}`, 'Separate key and value with ":".');
      }
      i++;
      const node = value(depth + 1);
      const first = seen.get(key);
      if (first !== undefined) {
        const at = positionOf(field, text, first);
        issues.push({
          code: "duplicate_key",
          severity: "error",
          message: `The key ${JSON.stringify(key)} appears twice in one object (first at line ${at.line}, column ${at.column}); JSON parsers keep only one of them, silently.`,
          fix: `Keep one ${JSON.stringify(key)} and rename or delete the other, in impact.com and in this file.`,
          at: positionOf(field, text, keyOffset),
        });
      } else {
        seen.set(key, keyOffset);
        entries.push({ key, value: node, offset: keyOffset });
      }
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return { type: "object", entries, offset };
      }
      invalid(i, 'expected "," or "}" after a value', "Separate members with commas and close the object with }.");
    }
  };

  const array = (depth: number): TemplateNode => {
    const offset = i;
    i++; // [
    const items: TemplateNode[] = [];
    ws();
    if (text[i] === "]") {
      i++;
      return { type: "array", items, offset };
    }
    for (;;) {
      items.push(value(depth + 1));
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return { type: "array", items, offset };
      }
      invalid(i, 'expected "," or "]" in an array', "Separate items with commas and close the array with ].");
    }
  };

  try {
    const root = value(0);
    ws();
    if (i < text.length) invalid(i, "there is text after the end of the JSON value", "Remove it.");
    if (root.type !== "object") {
      invalid(root.offset, "the body must be a JSON object", 'Wrap the members in { }: {"payout": "{Payout}"}.');
    }
    return { root, issues };
  } catch (error) {
    if (error instanceof Stop) return { issues };
    throw error;
  }
}
