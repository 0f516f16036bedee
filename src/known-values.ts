import type { OperationRuntime } from "./contract.js";
import type { NotificationIssue } from "./errors/problem.js";

const NONE: readonly NotificationIssue[] = Object.freeze([]);
const partsOf = new Map<string, readonly string[]>();

function parts(path: string): readonly string[] {
  let found = partsOf.get(path);
  if (found === undefined) {
    found = path.split("/").slice(1);
    partsOf.set(path, found);
  }
  return found;
}

function unknownAt(
  value: unknown,
  path: readonly string[],
  i: number,
  known: readonly string[],
  found: string[],
  prefix: string,
): void {
  if (i === path.length) {
    if (typeof value === "string" && value !== "" && !known.includes(value)) found.push(prefix);
    return;
  }
  const part = path[i] as string;
  if (part === "*") {
    if (!Array.isArray(value)) return;
    for (let n = 0; n < value.length; n++) unknownAt(value[n], path, i + 1, known, found, `${prefix}/${n}`);
  } else if (typeof value === "object" && value !== null && Object.hasOwn(value, part)) {
    unknownAt((value as Record<string, unknown>)[part], path, i + 1, known, found, `${prefix}/${part}`);
  }
}

/**
 * Notices for open enums: a value outside the documented set is accepted (facts sheet §3.2:
 * legacy feeds used other Status values) but reported, so a partner sees new values before they
 * matter. Allocates nothing when every value is known.
 */
export function knownValueNotices(operation: OperationRuntime, notification: unknown): readonly NotificationIssue[] {
  const list = operation.knownValues;
  if (list.length === 0) return NONE;
  let paths: string[] | undefined;
  let out: NotificationIssue[] | undefined;
  for (const { path, values } of list) {
    const p = parts(path);
    // Fast path for a top-level key, the common case.
    if (p.length === 1 && p[0] !== "*") {
      const value =
        typeof notification === "object" && notification !== null && Object.hasOwn(notification, p[0] as string)
          ? (notification as Record<string, unknown>)[p[0] as string]
          : undefined;
      if (typeof value !== "string" || value === "" || values.includes(value)) continue;
      paths = [path];
    } else {
      paths = [];
      unknownAt(notification, p, 0, values, paths, "");
    }
    for (const found of paths) {
      out ??= [];
      out.push({
        path: found,
        code: "unknown_value",
        message: `is not one of the documented values (${values.join(", ")}); accepted, because impact.com's value set is open`,
      });
    }
  }
  return out ?? NONE;
}
