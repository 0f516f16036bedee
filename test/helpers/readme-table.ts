/**
 * Reads a Markdown table out of the README, whatever the column padding (Biome formats Markdown
 * and aligns tables). `header` is the first header cell, or every header cell in order.
 * Cells are split on unescaped pipes and trimmed; the separator row is skipped.
 */
export function readmeTable(markdown: string, header: string | readonly string[]): string[][] {
  const cells = (line: string) =>
    line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
  const lines = markdown.split("\n");
  const head = lines.findIndex((line) => {
    if (!line.trimStart().startsWith("|")) return false;
    const names = cells(line);
    return typeof header === "string" ? names[0] === header : names.join("|") === header.join("|");
  });
  if (head === -1) throw new Error(`README has no table headed ${JSON.stringify(header)}`);
  const rows: string[][] = [];
  for (const line of lines.slice(head + 2)) {
    if (!line.trimStart().startsWith("|")) break;
    rows.push(cells(line));
  }
  return rows;
}
