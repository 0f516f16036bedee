/**
 * Finds keys that could pollute prototypes once a notification is merged into another object
 * (`Object.assign`, lodash.merge, …): any `__proto__`, and `constructor` holding a `prototype`
 * (the two cases secure-json-parse, used by fastify, refuses). JSON.parse keeps `__proto__` as
 * an own data property, so it is harmless until someone copies it; refusing it is simpler than
 * proving every consumer safe. Iterative, so a deeply nested value cannot overflow the stack.
 */
import { pointerSegment } from "../pointer.js";

export function findForbiddenKey(root: unknown): string | undefined {
  if (typeof root !== "object" || root === null) return undefined;
  const stack: [unknown, string][] = [[root, ""]];
  while (stack.length > 0) {
    const [value, path] = stack.pop() as [unknown, string];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item === "object" && item !== null) stack.push([item, `${path}/${i}`]);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    if (Object.hasOwn(record, "__proto__")) return `${path}/__proto__`;
    const ctor = Object.hasOwn(record, "constructor") ? record.constructor : undefined;
    if (typeof ctor === "object" && ctor !== null && Object.hasOwn(ctor, "prototype")) {
      return `${path}/constructor/prototype`;
    }
    for (const key in record) {
      const child = record[key];
      if (typeof child === "object" && child !== null && Object.hasOwn(record, key)) {
        stack.push([child, `${path}/${pointerSegment(key)}`]);
      }
    }
  }
  return undefined;
}
