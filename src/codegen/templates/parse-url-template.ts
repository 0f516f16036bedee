/**
 * Splits a GET URL template (or a form body template) into its path and its query parameters,
 * keeping the `{Macro}` placeholders: `https://x.example/postback?SubId1={SubId1}&net=impact`.
 * Not WHATWG URL parsing: that would percent-encode the braces. Keys and literal values are
 * percent-decoded (they arrive decoded); macro placeholders stay as written.
 */
import type { LintIssue } from "./lint-issue.js";
import { positionOf } from "./position-of.js";
import { scanMacros } from "./scan-macros.js";
import type { TemplateEntry, TemplateNode } from "./template-node.js";

const decode = (s: string) => {
  try {
    return decodeURIComponent(s.replaceAll("+", " "));
  } catch {
    return s;
  }
};

export interface ParsedUrl {
  /** Path as configured ("/" when the URL has none). */
  readonly path: string;
  /** Offset of the path in the template, for messages. */
  readonly pathOffset: number;
  /** `user:password@` in the authority, if any (a secret in the template). */
  readonly userinfoOffset?: number;
  readonly query: TemplateNode & { type: "object" };
}

/** Parses `key=value&…` starting at `start` of `text`. */
export function parseQueryTemplate(
  text: string,
  start: number,
  end: number,
  field: string,
): { node: TemplateNode & { type: "object" }; issues: LintIssue[] } {
  const issues: LintIssue[] = [];
  const entries: TemplateEntry[] = [];
  const seen = new Map<string, number>();
  let offset = start;
  for (const pair of text.slice(start, end).split("&")) {
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const valueOffset = offset + (eq === -1 ? pair.length : eq + 1);
    if (pair.trim() !== "") {
      const key = decode(rawKey.trim());
      const macros = scanMacros(rawValue, valueOffset);
      const value: TemplateNode = {
        type: "text",
        text: macros.length > 0 ? rawValue : decode(rawValue),
        macros,
        offset: valueOffset,
      };
      const first = seen.get(key);
      if (first !== undefined) {
        const at = positionOf(field, text, first);
        issues.push({
          code: "duplicate_key",
          severity: "error",
          message: `The parameter ${JSON.stringify(key)} appears twice (first at column ${at.column}); receivers see a repeated key, which the contract rejects as parameter pollution.`,
          fix: `Keep one ${JSON.stringify(key)}=… and rename or delete the other, in impact.com and in this file.`,
          at: positionOf(field, text, offset),
        });
      } else {
        seen.set(key, offset);
        entries.push({ key, value, offset });
      }
    }
    offset += pair.length + 1;
  }
  return { node: { type: "object", entries, offset: start }, issues };
}

export function parseUrlTemplate(text: string, field = "url"): ParsedUrl & { issues: LintIssue[] } {
  const hash = text.indexOf("#");
  const end = hash === -1 ? text.length : hash;
  const q = text.indexOf("?");
  const queryStart = q === -1 || q > end ? end : q + 1;
  const beforeQuery = text.slice(0, q === -1 || q > end ? end : q);
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(beforeQuery);
  const pathOffset = authority === null ? 0 : authority[0].length;
  const userinfo = authority?.[1]?.includes("@") === true ? (authority[0].indexOf("//") as number) + 2 : undefined;
  const rawPath = beforeQuery.slice(pathOffset);
  const path = rawPath === "" ? "/" : rawPath.startsWith("/") ? rawPath : `/${rawPath}`;
  const { node, issues } = parseQueryTemplate(text, queryStart, end, field);
  return { path, pathOffset, query: node, issues, ...(userinfo === undefined ? {} : { userinfoOffset: userinfo }) };
}
