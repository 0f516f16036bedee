/**
 * The subset of JSONPath (RFC 9535) that OpenAPI Overlay targets need:
 *   $  .name  ['name']  ['a','b']  [0]  [*]  .*  [?(@.key == 'value')]  [?@.key=='value']
 * Anything else is a clear error rather than a silent miss: an overlay action that selects
 * nothing is a bug in the overlay (see applyOverlay).
 */
type Segment =
  | { kind: "names"; names: string[] }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "filter"; key: string; value: string | number | boolean };

export interface JsonPathNode {
  readonly parent: Record<string, unknown> | unknown[];
  readonly key: string | number;
  readonly value: unknown;
}

const quoted = /^\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*/;

function unescapeQuoted(s: string): string {
  return s.replace(/\\(.)/g, "$1");
}

export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith("$")) throw new Error(`JSONPath must start with "$": ${path}`);
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const dotName = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
    if (dotName?.[1] !== undefined) {
      segments.push({ kind: "names", names: [dotName[1]] });
      rest = rest.slice(dotName[0].length);
      continue;
    }
    if (rest.startsWith(".*") || rest.startsWith("[*]")) {
      segments.push({ kind: "wildcard" });
      rest = rest.slice(rest.startsWith(".*") ? 2 : 3);
      continue;
    }
    const index = /^\[\s*(\d+)\s*\]/.exec(rest);
    if (index?.[1] !== undefined) {
      segments.push({ kind: "index", index: Number(index[1]) });
      rest = rest.slice(index[0].length);
      continue;
    }
    const filter =
      /^\[\?\(?\s*@\.([A-Za-z_$][\w$-]*)\s*==\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false)\s*\)?\]/.exec(
        rest,
      );
    if (filter?.[1] !== undefined && filter[2] !== undefined) {
      const raw = filter[2];
      const value =
        raw === "true"
          ? true
          : raw === "false"
            ? false
            : /^[-\d]/.test(raw)
              ? Number(raw)
              : unescapeQuoted(raw.slice(1, -1));
      segments.push({ kind: "filter", key: filter[1], value });
      rest = rest.slice(filter[0].length);
      continue;
    }
    if (rest.startsWith("[")) {
      let inner = rest.slice(1);
      const names: string[] = [];
      for (;;) {
        const m = quoted.exec(inner);
        if (m === null) break;
        names.push(unescapeQuoted(m[1] ?? m[2] ?? ""));
        inner = inner.slice(m[0].length);
        if (inner.startsWith(",")) inner = inner.slice(1);
        else break;
      }
      if (names.length > 0 && inner.startsWith("]")) {
        segments.push({ kind: "names", names });
        rest = inner.slice(1);
        continue;
      }
    }
    throw new Error(`unsupported JSONPath syntax at "${rest}" in ${path}`);
  }
  return segments;
}

function children(value: unknown): JsonPathNode[] {
  if (Array.isArray(value)) return value.map((v, i) => ({ parent: value, key: i, value: v }));
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    return Object.keys(record).map((k) => ({ parent: record, key: k, value: record[k] }));
  }
  return [];
}

/** Every node the path selects, in document order. `$` itself is not selectable. */
export function queryJsonPath(root: unknown, path: string): JsonPathNode[] {
  const segments = parseJsonPath(path);
  if (segments.length === 0) throw new Error(`JSONPath "${path}" selects the root; target a member instead`);
  let current: unknown[] = [root];
  let nodes: JsonPathNode[] = [];
  for (const segment of segments) {
    nodes = [];
    for (const value of current) {
      for (const child of children(value)) {
        const match =
          segment.kind === "wildcard" ||
          (segment.kind === "names" && !Array.isArray(child.parent) && segment.names.includes(String(child.key))) ||
          (segment.kind === "index" && Array.isArray(child.parent) && child.key === segment.index) ||
          (segment.kind === "filter" &&
            typeof child.value === "object" &&
            child.value !== null &&
            (child.value as Record<string, unknown>)[segment.key] === segment.value);
        if (match) nodes.push(child);
      }
    }
    current = nodes.map((n) => n.value);
  }
  return nodes;
}
