import type { TemplatePosition } from "./lint-issue.js";

/** 1-based line and column of `offset` in `text`. */
export function positionOf(field: string, text: string, offset: number): TemplatePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { field, line, column: offset - lineStart + 1 };
}
