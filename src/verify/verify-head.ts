import type { ContractRuntime } from "../contract.js";
import { routeOf, trimSlash } from "../contract-for-route.js";
import { checkClientAddress } from "./check-client-address.js";
import { checkContentEncoding } from "./check-content-encoding.js";
import { checkContentLength } from "./check-content-length.js";
import { type BodyFormat, checkMediaType } from "./check-media-type.js";
import { checkContractDelivery, checkMethod, unknownRoute } from "./check-method.js";
import { checkSecret } from "./check-secret.js";
import { parameterFailure } from "./decode-body.js";
import { type DecodedParameters, decodeParameters, pathOf, queryOf } from "./decode-parameters.js";
import { getHeader, type HeaderSource } from "./header.js";
import type { ResolvedVerifyOptions } from "./options.js";
import type { VerifyFailure } from "./verify-result.js";

/** What every adapter can say about a request before touching its body. */
export interface RequestHead {
  readonly method: string;
  /** The request target or absolute URL; only the query is read. */
  readonly url: string;
  /** Read only by the checks that need a header (a GET with the default options reads none). */
  readonly headers: HeaderSource;
  /** Address of the connecting peer, when the runtime knows it; read only with an allow-list. */
  readonly peer: string | undefined;
}

/**
 * Step 1, for every request: the method, then the contract its method and path route to.
 * Separate from the checks after it so the adapter core knows the contract of every request
 * refused after routing (an inbox records which contract a refusal was meant for).
 */
export function routeHead(head: RequestHead, options: ResolvedVerifyOptions): ContractRuntime | VerifyFailure {
  const delivery = checkMethod(head.method);
  if (typeof delivery !== "string") {
    // On a configured route, the methods its contracts receive, not every method impact.com has.
    const allow = options.routes?.allow.get(trimSlash(pathOf(head.url)));
    return allow === undefined ? delivery : { ...delivery, headers: { allow } };
  }
  const contract =
    options.routes === undefined
      ? options.contract
      : routeOf(options.routes, delivery, pathOf(head.url), options.contract);
  return contract === undefined ? unknownRoute(delivery) : contract;
}

/**
 * Every other check that needs no body, in the documented order, for a request `routeHead`
 * routed to `contract`: the contract's own methods → client address → query (parameter count) →
 * shared secret → declared length → content coding → media type. The query is decoded before the
 * secret check because the secret may travel in it; decoding is bounded by `maxParameters`.
 * Returns the decoded query (the secret kept out of it) for GET, the body format for POST: no
 * object of its own, so a request costs none.
 */
export function verifyHead(
  head: RequestHead,
  contract: ContractRuntime,
  options: ResolvedVerifyOptions,
): DecodedParameters | BodyFormat | VerifyFailure {
  // routeHead let only these two through.
  const delivery = head.method === "GET" ? "GET" : "POST";
  const refused = checkContractDelivery(contract, delivery);
  if (refused !== undefined) return refused;
  if (options.allowList !== undefined) {
    const forwarded = options.trustedProxies.length > 0 ? getHeader(head.headers, "x-forwarded-for") : undefined;
    const refused = checkClientAddress(head.peer, forwarded, options);
    if (refused !== undefined) return refused;
  }
  const query = decodeParameters(
    queryOf(head.url),
    options.maxParameters,
    options.secrets === undefined ? undefined : options.secretParameter,
  );
  if ("error" in query) return parameterFailure(query, "query string", options.maxParameters);
  if (options.secrets !== undefined) {
    const header = options.secretHeader === undefined ? undefined : getHeader(head.headers, options.secretHeader);
    const refused = checkSecret(query.withheld, header, options);
    if (refused !== undefined) return refused;
  }
  if (delivery === "GET") return query;
  const headers = head.headers;
  const tooLarge = checkContentLength(getHeader(headers, "content-length"), options.maxBodyBytes);
  if (tooLarge !== undefined) return tooLarge;
  const encoded = checkContentEncoding(getHeader(headers, "content-encoding"));
  if (encoded !== undefined) return encoded;
  return checkMediaType(getHeader(headers, "content-type"));
}
