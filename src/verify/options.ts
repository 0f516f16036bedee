import type { ContractRuntime } from "../contract.js";
import { type RouteTable, routesOf, routeTable } from "../contract-for-route.js";
import { builtInContracts, type ContractSelector, resolveContract } from "../select-contract.js";
import { type Cidr, parseCidr } from "./ip-address.js";

/**
 * Default body limit: 64 KiB. An observed impact.com GET is ~600 bytes (facts §4.1); a template
 * with every known macro at the API's 255-character string cap (facts §3.2, S26) is under 10 KiB,
 * leaving room for hundreds of `items[]` lines. Anything bigger is not a notification.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Default cap on query/form parameters: the same as body-parser's and qs's `parameterLimit`. */
export const DEFAULT_MAX_PARAMETERS = 1000;
/** Default JSON nesting cap. The documented contract nests 3 levels (`/items/0/qty`). */
export const DEFAULT_MAX_DEPTH = 32;

/** A shared secret that impact.com sends because you put it in the configured URL or header. */
export interface SecretOptions {
  /** One secret, or several while rotating: any of them is accepted. Never empty strings. */
  readonly values: string | readonly string[];
  /** Query parameter of the configured URL carrying the secret, e.g. `token`. Removed from the result. */
  readonly queryParameter?: string;
  /** Request header carrying the secret (impact.com's optional "HTTP Header" field, facts §6). */
  readonly header?: string;
}

export interface VerifyOptions<N extends ContractSelector = "documented"> {
  /**
   * Which contract validates the notification: a built-in one by name (default "documented"), or
   * a contract object (one of your generated `contracts`, or what `compileTemplate` returned).
   * With `contracts` or `byRoute`, the contract of requests on no configured route.
   */
  readonly contract?: N;
  /**
   * Your generated registry (`import { contracts } from "./impact-contracts/index.js"`): each
   * request is checked against the contract configured for its method and path, so one endpoint
   * receives every configured notification. A request on a path no contract is configured for is
   * refused (404 unknown_route) unless `contract` is given; on a configured path with the other
   * method it is 405 with that contract's `Allow`. The success names the contract that matched
   * (`result.contract`), and its type is the union of the registry's contracts.
   */
  readonly contracts?: { readonly [name: string]: N };
  /**
   * Route among the built-in template contracts (see `contractForRoute`), falling back to
   * `contract` (default "documented"). For your own templates, pass `contracts` instead.
   */
  readonly byRoute?: boolean;
  /** Require a shared secret. impact.com signs nothing (facts §6), so this is the only proof of origin. */
  readonly secret?: SecretOptions;
  /**
   * Client addresses allowed to deliver (CIDR or single addresses, IPv4 and IPv6), e.g. the ranges
   * impact.com publishes (facts §6, S33). When set and the client address is unknown, the request is refused.
   */
  readonly ipAllowList?: readonly string[];
  /**
   * Proxies whose `X-Forwarded-For` is believed (CIDR list). Empty by default: the header is
   * never trusted unless the connecting peer is listed here.
   */
  readonly trustedProxies?: readonly string[];
  /** Address of the connecting peer. A Fetch `Request` has none; adapters pass it. */
  readonly peerAddress?: string;
  /** Body limit in bytes. Default {@link DEFAULT_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** Query or form parameter limit. Default {@link DEFAULT_MAX_PARAMETERS}. */
  readonly maxParameters?: number;
  /** JSON nesting limit (objects and arrays). Default {@link DEFAULT_MAX_DEPTH}. */
  readonly maxDepth?: number;
}

/** Options compiled once (CIDRs parsed, secrets encoded) so the per-request path does no setup. */
export interface ResolvedVerifyOptions {
  /** The contract of requests no route selects; undefined: those are refused (404 unknown_route). */
  readonly contract: ContractRuntime | undefined;
  /** Route by method and path among these, or undefined for one contract. */
  readonly routes: RouteTable | undefined;
  readonly secrets: readonly Uint8Array[] | undefined;
  readonly secretParameter: string | undefined;
  readonly secretHeader: string | undefined;
  readonly allowList: readonly Cidr[] | undefined;
  readonly trustedProxies: readonly Cidr[];
  readonly maxBodyBytes: number;
  readonly maxParameters: number;
  readonly maxDepth: number;
}

const cache = new WeakMap<object, ResolvedVerifyOptions>();
const encoder = new TextEncoder();
const DEFAULTS: VerifyOptions<ContractSelector> = {};
const builtInRoutes = routeTable(builtInContracts);

function cidrs(list: readonly string[], what: string): Cidr[] {
  return list.map((entry) => {
    const cidr = parseCidr(entry);
    if (cidr === undefined) {
      throw new TypeError(`${what}: "${entry}" is not an IPv4/IPv6 address or CIDR range (e.g. "203.0.113.0/24").`);
    }
    return cidr;
  });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer.`);
  return value;
}

/** Largest delay setTimeout honours; Node turns anything above it into 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function compile(options: VerifyOptions<ContractSelector>): ResolvedVerifyOptions {
  const routes =
    options.contracts !== undefined
      ? routesOf(options.contracts)
      : options.byRoute === true
        ? builtInRoutes
        : undefined;
  const contract =
    options.contract === undefined && options.contracts !== undefined
      ? undefined
      : resolveContract(options.contract ?? "documented");
  // Handler adapters pass their HandlerOptions in the same object: a bad time limit would
  // answer every delivery 503 (impact.com retries forever), so it fails here, at start-up.
  const timeoutMs = (options as { readonly timeoutMs?: unknown }).timeoutMs;
  if (
    timeoutMs !== undefined &&
    timeoutMs !== Number.POSITIVE_INFINITY &&
    (typeof timeoutMs !== "number" || !Number.isSafeInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMER_MS)
  ) {
    throw new TypeError(
      `timeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, or Infinity for no limit.`,
    );
  }
  const secret = options.secret;
  let secrets: Uint8Array[] | undefined;
  if (secret !== undefined) {
    const values = typeof secret.values === "string" ? [secret.values] : secret.values;
    if (values.length === 0 || values.some((v) => typeof v !== "string" || v === "")) {
      throw new TypeError("secret.values must hold at least one non-empty string.");
    }
    if (secret.queryParameter === undefined && secret.header === undefined) {
      throw new TypeError("secret needs queryParameter and/or header: where does impact.com carry it?");
    }
    secrets = values.map((v) => encoder.encode(v));
  }
  return {
    contract,
    routes,
    secrets,
    secretParameter: secret?.queryParameter,
    secretHeader: secret?.header?.toLowerCase(),
    allowList: options.ipAllowList === undefined ? undefined : cidrs(options.ipAllowList, "ipAllowList"),
    trustedProxies: cidrs(options.trustedProxies ?? [], "trustedProxies"),
    maxBodyBytes: positive(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, "maxBodyBytes"),
    maxParameters: positive(options.maxParameters, DEFAULT_MAX_PARAMETERS, "maxParameters"),
    maxDepth: positive(options.maxDepth, DEFAULT_MAX_DEPTH, "maxDepth"),
  };
}

/**
 * Compiles options once per options object (cached), throwing TypeError on a configuration
 * mistake: a misconfigured receiver must fail at start-up, not answer every delivery with 500.
 */
export function resolveVerifyOptions(options: VerifyOptions<ContractSelector> = DEFAULTS): ResolvedVerifyOptions {
  let resolved = cache.get(options);
  if (resolved === undefined) {
    resolved = compile(options);
    cache.set(options, resolved);
  }
  return resolved;
}
