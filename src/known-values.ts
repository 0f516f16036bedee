import type { OperationRuntime } from "./contract.js";
import type { NotificationIssue } from "./errors/problem.js";

const NONE: readonly NotificationIssue[] = Object.freeze([]);

function at(
  value: unknown,
  parts: readonly string[],
  i: number,
  path: string,
  known: readonly string[],
  out: NotificationIssue[],
) {
  if (i === parts.length) {
    if (typeof value === "string" && value !== "" && !known.includes(value)) {
      out.push({
        path,
        code: "unknown_value",
        message: `is not one of the documented values (${known.join(", ")}); accepted, because impact.com's value set is open`,
      });
    }
    return;
  }
  const part = parts[i] as string;
  if (part === "*") {
    if (Array.isArray(value)) {
      for (let n = 0; n < value.length; n++) at(value[n], parts, i + 1, `${path}/${n}`, known, out);
    }
  } else if (typeof value === "object" && value !== null && Object.hasOwn(value, part)) {
    at((value as Record<string, unknown>)[part], parts, i + 1, `${path}/${part}`, known, out);
  }
}

/**
 * Notices for open enums: a value outside the documented set is accepted (facts sheet §3.2: legacy
 * feeds used other Status values) but reported, so a partner sees new values before they matter.
 */
export function knownValueNotices(operation: OperationRuntime, notification: unknown): readonly NotificationIssue[] {
  if (operation.knownValues.length === 0) return NONE;
  let out: NotificationIssue[] | undefined;
  for (const { path, values } of operation.knownValues) {
    const found: NotificationIssue[] = [];
    at(notification, path.split("/").slice(1), 0, "", values, found);
    if (found.length > 0) out = [...(out ?? []), ...found];
  }
  return out ?? NONE;
}
