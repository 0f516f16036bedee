import type { ContractRuntime } from "../contract.js";
import { type RouteTable, routesOf, routeTable } from "../contract-for-route.js";
import { builtInContracts, type ContractSelector, resolveContract } from "../select-contract.js";
import { type Cidr, readCidr } from "./ip-address.js";

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
/**
 * The largest `maxDepth` accepted (a larger one is a TypeError at creation). Steps a body goes
 * through recurse once per level: the strict JSON parser, the fast path's member count of the
 * parsed value, `context.key`'s canonical JSON. The forbidden-key scan turns iterative past 128
 * levels, and the generated validators recurse only as deep as their schema, never the data. On
 * Node 20's default 984 KB stack, unoptimised, the parser overflows at about 4 400 levels and
 * canonical JSON at about 6 000, so 1 000 leaves a margin of four; test/reliability/sharp-options.test.ts
 * runs a body this deep through the Node receiver, `context.key` read, with half the default stack.
 *
 * A bound rather than iterative steps, because an accepted notification goes on into recursive
 * code the receiver does not own: `JSON.stringify` in a logger overflows at about 4 100 levels,
 * `structuredClone` at about 1 900, and a deep merge sooner. Iterative steps would only move the
 * RangeError into the partner's handler, answered 500 and retried forever; a bound refuses such a
 * body with 400 `nesting_too_deep` before anyone sees it.
 */
export const MAX_DEPTH_LIMIT = 1000;
/**
 * The longest secret accepted: at most this many bytes as UTF-8 when a `header` carries it, and at
 * most this many characters percent-encoded when a `queryParameter` carries it. Node refuses with
 * 431 any request whose request line and headers together pass 16 KiB (its default
 * `--max-http-header-size`), and impact.com cannot be told to send less. A secret in both places
 * takes at most 8 KiB, leaving the other 8 KiB for the URL's notification parameters (an observed
 * GET is ~600 bytes, facts §4.1) and the other headers. 32 random bytes as hex are 64.
 */
export const MAX_SECRET_BYTES = 4096;
/** Node's default `--max-http-header-size`: request line plus headers. */
const NODE_MAX_HEADER_BYTES = 16 * 1024;

/**
 * A shared secret that impact.com sends because you put it in the configured URL or header.
 *
 * Where it must be. Each place named here (`queryParameter`, `header`) that carries a value must
 * carry exactly one value, and that value must be one of `values`; at least one place must carry
 * one. So with both named, a right header does not excuse `token=wrong` (or `token=s3cret&token=s3cret`)
 * in the query, nor a right query a wrong header. A missing, repeated or wrong secret, in either
 * place, is the same 401 `unauthorized`: the answer does not tell which.
 */
export interface SecretOptions {
  /**
   * One secret, or several while rotating: any of them is accepted. Checked at creation
   * (TypeError): non-empty, well-formed Unicode (no lone surrogates), and short enough for a
   * request Node accepts ({@link MAX_SECRET_BYTES}); with a `header`, also sendable in one (no
   * control characters, no leading or trailing space or tab, which HTTP strips).
   */
  readonly values: string | readonly string[];
  /**
   * Query parameter of the configured URL carrying the secret, e.g. `token`. Removed from the
   * result. Its value is percent-decoded, then compared as UTF-8 (`%C3%A4` is "ä").
   */
  readonly queryParameter?: string;
  /**
   * Request header carrying the secret (impact.com's optional "HTTP Header" field, facts §6). The
   * header's bytes as received are compared with the secret's UTF-8 bytes, so a non-ASCII secret
   * matches when sent as UTF-8 (as clients do), not as Latin-1.
   */
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
  /**
   * JSON nesting limit (objects and arrays). Default {@link DEFAULT_MAX_DEPTH}, at most
   * {@link MAX_DEPTH_LIMIT} (1 000; larger is a TypeError at creation, since the steps a body
   * goes through, and JSON.stringify in your handler, would overflow the stack).
   */
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
  if (!Array.isArray(list)) {
    throw new TypeError(`${what} must be an array of CIDR ranges or addresses, e.g. ["203.0.113.0/24"].`);
  }
  return list.map((entry: unknown, i) => {
    if (typeof entry !== "string") {
      throw new TypeError(`${what}[${i}] must be a string such as "203.0.113.0/24", not ${typeof entry}.`);
    }
    const cidr = readCidr(entry);
    if ("problem" in cidr) {
      throw new TypeError(
        `${what}: ${JSON.stringify(entry)} ${cidr.problem} (e.g. "203.0.113.0/24", "2001:db8::/32").`,
      );
    }
    return cidr;
  });
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer.`);
  return value;
}

function depthLimit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_DEPTH;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_DEPTH_LIMIT) {
    throw new TypeError(
      `maxDepth must be a whole number from 1 to ${MAX_DEPTH_LIMIT}, not ${String(value)}: deeper JSON would overflow ` +
        `the stack of the parser, of context.key and of JSON.stringify in your handler. A notification nests 3 levels; ` +
        `keep the default ${DEFAULT_MAX_DEPTH}.`,
    );
  }
  return value;
}

/** An RFC 9110 §5.1 field name: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d ||
    byte === 0x2e ||
    byte === 0x5f ||
    byte === 0x7e
  );
}

/** Characters of the secret in a URL: every byte but RFC 3986's unreserved ones becomes %XX (the longest encoding a sender uses). */
function percentEncodedLength(bytes: Uint8Array): number {
  let n = 0;
  for (const byte of bytes) n += isUnreserved(byte) ? 1 : 3;
  return n;
}

/** Why the secret's bytes cannot be a header value, or undefined when they can. */
function headerProblem(bytes: Uint8Array): string | undefined {
  const first = bytes[0] as number;
  const last = bytes[bytes.length - 1] as number;
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) {
    return "starts or ends with a space or tab, which HTTP strips from a header value";
  }
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09) || byte === 0x7f) {
      return "holds a control character, which no header value may carry (Node answers 400)";
    }
  }
  return undefined;
}

/**
 * Where a secret goes, checked for the receiver and the sender alike: `queryParameter` and/or
 * `header`, each a name a request can carry. `purpose` ends the message for neither.
 */
export function checkSecretPlaces(secret: SecretOptions, purpose: string): void {
  const { queryParameter, header } = secret;
  if (queryParameter === undefined && header === undefined) {
    throw new TypeError(`secret needs queryParameter and/or header: where does ${purpose}?`);
  }
  if (queryParameter !== undefined && (typeof queryParameter !== "string" || queryParameter === "")) {
    throw new TypeError('secret.queryParameter must be a non-empty parameter name, e.g. "token".');
  }
  if (header !== undefined && (typeof header !== "string" || !TOKEN.test(header))) {
    throw new TypeError('secret.header must be an HTTP header name (letters, digits, "-"), e.g. "x-impact-secret".');
  }
}

/** The secret's values, each checked, as UTF-8 bytes. Messages name an entry by index, never by its text. */
function compileSecret(secret: SecretOptions): Uint8Array[] {
  const values: unknown = typeof secret.values === "string" ? [secret.values] : secret.values;
  if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== "string" || v === "")) {
    throw new TypeError("secret.values must hold at least one non-empty string.");
  }
  checkSecretPlaces(secret, "impact.com carry it");
  const { queryParameter, header } = secret;
  if (queryParameter === "__proto__") {
    throw new TypeError(
      'secret.queryParameter cannot be "__proto__": every query holding it is refused (forbidden_key).',
    );
  }
  return (values as string[]).map((value, i) => {
    const name = `secret.values[${i}]`;
    if (/\p{Cs}/u.test(value)) {
      throw new TypeError(`${name} holds a lone UTF-16 surrogate, which has no UTF-8 form; no request can carry it.`);
    }
    const bytes = encoder.encode(value);
    const limit = `Node refuses (431) requests whose request line and headers pass ${NODE_MAX_HEADER_BYTES / 1024} KiB (its default --max-http-header-size)`;
    if (header !== undefined && bytes.length > MAX_SECRET_BYTES) {
      throw new TypeError(
        `${name} is ${bytes.length} bytes as UTF-8; in a header at most ${MAX_SECRET_BYTES} fit with room for the rest of ` +
          `the request: ${limit}. Use a shorter secret (32 random bytes as hex are 64 characters).`,
      );
    }
    const encoded = percentEncodedLength(bytes);
    if (queryParameter !== undefined && encoded > MAX_SECRET_BYTES) {
      throw new TypeError(
        `${name} is ${encoded} characters percent-encoded in the URL; at most ${MAX_SECRET_BYTES} fit with room for the ` +
          `notification's parameters: ${limit}. Use a shorter secret (32 random bytes as hex are 64 characters).`,
      );
    }
    const unsendable = header === undefined ? undefined : headerProblem(bytes);
    if (unsendable !== undefined) {
      throw new TypeError(
        `${name} ${unsendable}, so it never arrives in secret.header as written. Use a secret without it, or send it in the query only.`,
      );
    }
    return bytes;
  });
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
  const secrets = secret === undefined ? undefined : compileSecret(secret);
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
    maxDepth: depthLimit(options.maxDepth),
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
