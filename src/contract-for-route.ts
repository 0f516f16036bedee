/**
 * Picks the generated contract of a configured notification: by the route impact.com calls
 * (method + path of the URL in the template file), or by event kind. Contracts generated from
 * openapi/templates/ carry both (`template` in generated/index.ts); folder contracts such as
 * "documented" have neither and are only chosen by name. Used by verifyRequest (src/verify/) to
 * route one endpoint's requests, and by partners to select a contract with a precise type.
 */
import { type ContractName, contracts } from "../generated/index.js";
import type { ContractRuntime, Delivery } from "./contract.js";

type Registry = typeof contracts;

/** Names of template contracts for an event kind (and delivery), as a union of literal types. */
export type ContractOfKind<K extends string, D extends Delivery = Delivery> = {
  [N in ContractName]: Registry[N] extends { readonly template: { readonly kind: K; readonly delivery: D } }
    ? N
    : never;
}[ContractName];

/** Event kinds that at least one configured template uses. */
export type ConfiguredKind = {
  [N in ContractName]: Registry[N] extends { readonly template: { readonly kind: infer K } } ? K : never;
}[ContractName];

const all = Object.values(contracts as Record<string, ContractRuntime>);

/** "/a/b/" and "/a/b" are one route; the root stays "/". */
const trimSlash = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);

/** "METHOD path" → contract, built once: routing runs on every request when `byRoute` is on. */
const routes = new Map<string, ContractName>();
for (const c of all) {
  const key = c.template === undefined ? undefined : `${c.template.delivery} ${trimSlash(c.template.path)}`;
  if (key !== undefined && !routes.has(key)) routes.set(key, c.name as ContractName);
}

/**
 * The template contract configured for `method` and `path` (the request's path, without the
 * query string), or undefined when none is: then use an explicit contract or "documented".
 * Paths compare exactly, case-sensitively, ignoring one trailing slash.
 */
export function contractForRoute(method: string, path: string): ContractName | undefined {
  return routes.get(`${method.toUpperCase()} ${trimSlash(path)}`);
}

/**
 * The one template contract configured for an event kind (and delivery, when several exist).
 * Throws a TypeError naming the candidates when there is none or more than one.
 *
 * @example
 *   const contract = contractForKind("action_lifecycle", "GET"); // type "lifecycle-get"
 *   const result = validateEventNotification(url.searchParams, { contract });
 */
export function contractForKind<K extends ConfiguredKind, D extends Delivery = Delivery>(
  kind: K,
  delivery?: D,
): ContractOfKind<K, D> {
  const found = all.filter(
    (c) => c.template?.kind === kind && (delivery === undefined || c.template.delivery === delivery),
  );
  if (found.length === 1) return (found[0] as ContractRuntime).name as ContractOfKind<K, D>;
  const what = `${kind}${delivery === undefined ? "" : ` ${delivery}`}`;
  throw new TypeError(
    found.length === 0
      ? `No template contract is configured for ${what}. Add openapi/templates/<name>.template.json and run \`npm run generate\`.`
      : `Several template contracts match ${what} (${found.map((c) => c.name).join(", ")}); pass the delivery, or choose one with the \`contract\` option.`,
  );
}
