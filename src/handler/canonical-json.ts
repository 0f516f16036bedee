/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit, arrays in order, strings exactly as
 * received (no trimming or Unicode normalisation: "Base44 " with its trailing space is a real
 * campaign name, facts §3.1). Two notifications with the same data give the same text.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
