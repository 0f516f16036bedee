import type { ContractRuntime, Delivery } from "../contract.js";
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

/**
 * Step 1b: a contract generated from a GET template receives no POST, and the reverse. 405 with
 * the contract's own `Allow`, decided before any body is read.
 */
export function checkContractDelivery(contract: ContractRuntime, delivery: Delivery): VerifyFailure | undefined {
  if (contract.operations[delivery] !== undefined) return undefined;
  const allow = Object.keys(contract.operations).sort().join(", ");
  return fail(
    "unsupported_delivery",
    `This endpoint receives ${allow} notifications only: check the HTTP method configured in impact.com.`,
    [],
    { allow },
  );
}

/** Routing found no contract for the request's path, and no fallback contract is configured. */
export function unknownRoute(delivery: Delivery): VerifyFailure {
  return fail(
    "unknown_route",
    `No ${delivery} notification is configured for this path: check the URL configured in impact.com against your templates.`,
  );
}
