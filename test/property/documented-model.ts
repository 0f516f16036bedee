/**
 * An independent reference model of the "documented" contract (generated/documented/openapi.json),
 * written by hand from the contract text, so property tests compare the generated validator plus
 * `validateEventNotification` against something that does not share their code.
 *
 * Object semantics follow JSON Schema as ajv implements it: "object" is any non-null, non-array
 * object; a property whose value is `undefined` is absent.
 */
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

const DECLARED_PARAMETERS = new Set(["campaign_id", "action_id", "status", "payout"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const stringOrAbsent = (v: unknown) => v === undefined || typeof v === "string";
const decimalOrAbsent = (v: unknown) => v === undefined || (typeof v === "string" && DECIMAL.test(v));

/** `__proto__` anywhere, or `constructor` holding an own `prototype` (secure-json-parse's rule). */
export function hasForbiddenKey(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.some((item) => hasForbiddenKey(item, seen));
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (key === "__proto__") return true;
    if (key === "constructor" && typeof child === "object" && child !== null && Object.hasOwn(child, "prototype"))
      return true;
    if (hasForbiddenKey(child, seen)) return true;
  }
  return false;
}

function validItem(item: unknown): boolean {
  return isObject(item) && stringOrAbsent(item.sku) && decimalOrAbsent(item.qty) && decimalOrAbsent(item.amt);
}

/** Should a decoded POST body be accepted? */
export function acceptsPost(body: unknown): boolean {
  if (!isObject(body)) return false;
  const { campaign_id, action_id, status, payout, items } = body;
  if (![campaign_id, action_id, status].every(stringOrAbsent) || !decimalOrAbsent(payout)) return false;
  if (items !== undefined) {
    if (!Array.isArray(items)) return false;
    for (let i = 0; i < items.length; i++) if (!validItem(items[i])) return false;
  }
  return !hasForbiddenKey(body);
}

/** Should a GET query, given as ordered [key, value] pairs after decoding, be accepted? */
export function acceptsQueryPairs(pairs: readonly (readonly [string, string])[]): boolean {
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (key === "__proto__" || seen.has(key)) return false;
    seen.add(key);
    if (key === "payout" && !DECIMAL.test(value)) return false;
  }
  return true;
}

/** Should a GET query given as a record (Express's `req.query`) be accepted? */
export function acceptsQueryRecord(record: unknown): boolean {
  if (!isObject(record)) return false;
  for (const key in record) {
    const value = record[key];
    // Declared parameters may be absent (undefined); every other key falls under
    // additionalProperties: { type: "string" }, which ajv applies to every enumerable key.
    if (value === undefined && DECLARED_PARAMETERS.has(key)) continue;
    if (typeof value !== "string") return false;
    if (key === "payout" && !DECIMAL.test(value)) return false;
  }
  return !hasForbiddenKey(record);
}
