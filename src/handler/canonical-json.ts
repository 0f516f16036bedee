/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit, arrays in order, strings exactly as
 * received (no trimming or Unicode normalisation: "Base44 " with its trailing space is a real
 * campaign name, facts §3.1). Two notifications with the same data give the same text.
 * Loops and string concatenation instead of map/join: it runs for every accepted notification.
 *
 * Recursive, one call per level: a verified notification nests at most `maxDepth` levels, capped
 * at `MAX_DEPTH_LIMIT` (src/verify/options.ts) because this, among others, needs a stack frame
 * per level. A value from elsewhere, nested thousands of levels deep, can overflow the stack.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    out += `${i === 0 ? "" : ","}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${out}}`;
}
