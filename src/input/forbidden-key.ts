/**
 * Finds keys that could pollute prototypes once a notification is merged into another object
 * (`Object.assign`, lodash.merge, …): any `__proto__`, and `constructor` holding a `prototype`
 * (the two cases secure-json-parse, used by fastify, refuses). JSON.parse keeps `__proto__` as
 * an own data property, so it is harmless until someone copies it; refusing it is simpler than
 * proving every consumer safe.
 *
 * Hot path: every valid notification goes through `scan`, which allocates nothing and builds no
 * strings; the JSON pointer is computed (by `forbiddenPath`) only once something was found or
 * the input is too large or too deep for the fast scan.
 */
import { pointerSegment } from "../pointer.js";

function forbiddenHere(record: Record<string, unknown>): string | undefined {
  if (Object.hasOwn(record, "__proto__")) return "__proto__";
  if (Object.hasOwn(record, "constructor")) {
    const ctor = record.constructor;
    if (typeof ctor === "object" && ctor !== null && Object.hasOwn(ctor, "prototype")) return "constructor";
  }
  return undefined;
}

/**
 * Limits of the fast scan. Past either, it gives up and the careful walk decides: that one is
 * iterative (no stack overflow at any depth) and visits every object once (a cycle, which JSON
 * cannot make but a caller's object can, terminates; shared references cost no exponential time).
 * So this step, unlike the parser, needs no depth bound: `validateEventNotification` gets objects
 * that no `maxDepth` checked.
 */
const MAX_RECURSION = 128;
const MAX_VISITS = 10_000;
const GAVE_UP = 2;
let visits = 0;

/**
 * Recursive for speed on real notifications (flat objects, one level of items): no allocation,
 * no strings. Returns true (found), false (none) or GAVE_UP. The keys that matter are own and
 * enumerable when they come from JSON.parse or a query parser, and only enumerable keys are
 * copied by Object.assign or spread, so the for-in loop sees every key that could do harm.
 */
function scan(value: object, depth: number): boolean | typeof GAVE_UP {
  if (depth > MAX_RECURSION || ++visits > MAX_VISITS) return GAVE_UP;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) {
        const found = scan(item, depth + 1);
        if (found !== false) return found;
      }
    }
    return false;
  }
  for (const key in value) {
    if (key === "__proto__") return true;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null) {
      if (key === "constructor" && Object.hasOwn(child, "prototype")) return true;
      const found = scan(child, depth + 1);
      if (found !== false) return found;
    }
  }
  return false;
}

/** The careful walk: iterative, each object once, and the JSON pointer of the first hit. */
function forbiddenPath(root: object): string | undefined {
  const seen = new WeakSet<object>();
  const pending: [object, string][] = [[root, ""]];
  while (pending.length > 0) {
    const [value, path] = pending.pop() as [object, string];
    if (seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        const item: unknown = value[i];
        if (typeof item === "object" && item !== null) pending.push([item, `${path}/${i}`]);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    const key = forbiddenHere(record);
    if (key === "__proto__") return `${path}/__proto__`;
    if (key === "constructor") return `${path}/constructor/prototype`;
    for (const k of Object.keys(record)) {
      const child = record[k];
      if (typeof child === "object" && child !== null) pending.push([child, `${path}/${pointerSegment(k)}`]);
    }
  }
  return undefined;
}

/** The JSON pointer of the first forbidden key, or undefined when there is none. */
export function findForbiddenKey(root: unknown): string | undefined {
  if (typeof root !== "object" || root === null) return undefined;
  visits = 0;
  return scan(root, 0) === false ? undefined : forbiddenPath(root);
}
