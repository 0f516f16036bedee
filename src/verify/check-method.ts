import type { Delivery } from "../contract.js";
import { fail, type VerifyFailure } from "./verify-result.js";

const ALLOW = { allow: "GET, POST" } as const;

/**
 * Step 1, method. impact.com sends GET (query) or POST (body) only (facts §4); anything else is
 * 405 with the `Allow` header RFC 9110 §15.5.6 requires. HEAD is refused too: it carries no data.
 */
export function checkMethod(method: string): Delivery | VerifyFailure {
  if (method === "GET" || method === "POST") return method;
  return fail(
    "method_not_allowed",
    "Send the notification with GET (query string) or POST (body), as configured in impact.com.",
    [],
    ALLOW,
  );
}
