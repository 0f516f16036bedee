/**
 * Picks the contract of a configured notification: by the route impact.com calls (method + path
 * of the URL in the template), or by event kind. Contracts generated from templates carry both
 * (`template`); folder contracts such as "documented" have neither and are only chosen by name.
 * Without a registry these functions search the built-in contracts; given your generated
 * `contracts`, they search those and return the contract objects.
 */
import type { ContractName, contracts } from "../generated/index.js";
import type { ContractRegistry, ContractRuntime, Delivery } from "./contract.js";
import { builtInContracts, resolveRegistry } from "./select-contract.js";

type BuiltIn = typeof contracts;

/** Names of built-in template contracts for an event kind (and delivery), as a union of literal types. */
export type ContractOfKind<K extends string, D extends Delivery = Delivery> = {
  [N in ContractName]: BuiltIn[N] extends { readonly template: { readonly kind: K; readonly delivery: D } } ? N : never;
}[ContractName];

/** Event kinds that at least one built-in template contract uses. */
export type ConfiguredKind = {
  [N in ContractName]: BuiltIn[N] extends { readonly template: { readonly kind: infer K } } ? K : never;
}[ContractName];

/** The template of a registry entry, or never for a folder contract (no template). */
type TemplateOf<C> = C extends { readonly template?: infer T } ? Exclude<T, undefined> : never;

/** Event kinds the templates of a registry use. */
export type KindIn<R extends ContractRegistry> = {
  [N in keyof R]: [TemplateOf<R[N]>] extends [never]
    ? never
    : TemplateOf<R[N]> extends { readonly kind: infer K extends string }
      ? K
      : never;
}[keyof R];

/** The contracts of a registry configured for an event kind (and delivery). */
export type ContractOfKindIn<R extends ContractRegistry, K extends string, D extends Delivery = Delivery> = {
  [N in keyof R]: [TemplateOf<R[N]>] extends [never]
    ? never
    : TemplateOf<R[N]> extends { readonly kind: K; readonly delivery: D }
      ? R[N]
      : never;
}[keyof R];

/** "/a/b/" and "/a/b" are one route; the root stays "/". */
export const trimSlash = (path: string) => (path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);

/** The routes of a set of contracts: "METHOD path" → contract, and path → the contracts on it. */
export interface RouteTable {
  readonly exact: ReadonlyMap<string, ContractRuntime>;
  readonly byPath: ReadonlyMap<string, ContractRuntime>;
  /** Path → the methods the contracts on it receive ("GET, POST"): the `Allow` of a 405 there. */
  readonly allow: ReadonlyMap<string, string>;
}

/** Built once per set of contracts: routing runs on every request. The first contract of a route wins. */
export function routeTable(list: readonly ContractRuntime[]): RouteTable {
  const exact = new Map<string, ContractRuntime>();
  const byPath = new Map<string, ContractRuntime>();
  const methods = new Map<string, Set<string>>();
  for (const c of list) {
    if (c.template === undefined) continue;
    const path = trimSlash(c.template.path);
    const key = `${c.template.delivery} ${path}`;
    if (!exact.has(key)) exact.set(key, c);
    if (!byPath.has(path)) byPath.set(path, c);
    const set = methods.get(path) ?? new Set<string>();
    for (const delivery of Object.keys(c.operations)) set.add(delivery);
    methods.set(path, set);
  }
  const allow = new Map([...methods].map(([path, set]) => [path, [...set].sort().join(", ")]));
  return { exact, byPath, allow };
}

/**
 * The contract of a request's method and path: the exact route, else `fallback`. Without a
 * fallback, a contract configured on that path for the other method (the verifier then answers
 * 405 with that contract's `Allow`), or undefined (404).
 */
export function routeOf(
  table: RouteTable,
  method: string,
  path: string,
  fallback: ContractRuntime | undefined,
): ContractRuntime | undefined {
  const trimmed = trimSlash(path);
  return table.exact.get(`${method} ${trimmed}`) ?? fallback ?? table.byPath.get(trimmed);
}

const builtInRoutes = routeTable(builtInContracts);
const registryRoutes = new WeakMap<object, RouteTable>();

/** The route table of a registry, built on first use and kept with it. */
export function routesOf(registry: object): RouteTable {
  let table = registryRoutes.get(registry);
  if (table === undefined) {
    table = routeTable(resolveRegistry(registry));
    registryRoutes.set(registry, table);
  }
  return table;
}

/**
 * The template contract configured for `method` and `path` (the request's path, without the
 * query string), or undefined when none is. Paths compare exactly, case-sensitively, ignoring
 * one trailing slash; the method must match too.
 *
 * @example
 *   contractForRoute("GET", "/impact");             // a built-in contract's name, or undefined
 *   contractForRoute("GET", "/impact", contracts);  // one of your generated contracts, or undefined
 */
export function contractForRoute(method: string, path: string): ContractName | undefined;
export function contractForRoute<R extends ContractRegistry>(
  method: string,
  path: string,
  contracts: R,
): R[keyof R] | undefined;
export function contractForRoute(
  method: string,
  path: string,
  registry?: ContractRegistry,
): ContractName | ContractRuntime | undefined {
  const table = registry === undefined ? builtInRoutes : routesOf(registry);
  const key = `${method.toUpperCase()} ${trimSlash(path)}`;
  const found = table.exact.get(key);
  return registry === undefined ? (found?.name as ContractName | undefined) : found;
}

/**
 * The one template contract configured for an event kind (and delivery, when several exist).
 * Throws a TypeError naming the candidates when there is none or more than one.
 *
 * @example
 *   const contract = contractForKind("action_lifecycle", "GET"); // a built-in contract's name
 *   const mine = contractForKind("action_lifecycle", "GET", contracts); // one of your contracts
 *   const result = validateEventNotification(url.searchParams, { contract: mine });
 */
export function contractForKind<K extends ConfiguredKind, D extends Delivery = Delivery>(
  kind: K,
  delivery?: D,
): ContractOfKind<K, D>;
export function contractForKind<R extends ContractRegistry, K extends KindIn<R>, D extends Delivery = Delivery>(
  kind: K,
  delivery: D | undefined,
  contracts: R,
): ContractOfKindIn<R, K, D>;
export function contractForKind(
  kind: string,
  delivery?: Delivery,
  registry?: ContractRegistry,
): ContractName | ContractRuntime {
  const list = registry === undefined ? builtInContracts : resolveRegistry(registry);
  const found = list.filter(
    (c) => c.template?.kind === kind && (delivery === undefined || c.template.delivery === delivery),
  );
  const only = found[0];
  if (found.length === 1 && only !== undefined) return registry === undefined ? (only.name as ContractName) : only;
  const what = `${kind}${delivery === undefined ? "" : ` ${delivery}`}`;
  throw new TypeError(
    found.length === 0
      ? registry === undefined
        ? `No built-in template contract is configured for ${what}. Pass your generated \`contracts\` as the third argument (npx impact-event-notifications generate).`
        : `No contract in \`contracts\` is configured for ${what}. Add impact/<name>.template.json and run \`npx impact-event-notifications generate\`.`
      : `Several template contracts match ${what} (${found.map((c) => c.name).join(", ")}); pass the delivery, or choose one with the \`contract\` option.`,
  );
}
