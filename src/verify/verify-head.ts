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

export type HeadVerdict =
  | VerifyFailure
  | {
      readonly ok: true;
      readonly delivery: "GET";
      readonly contract: ContractRuntime;
      readonly query: DecodedParameters;
    }
  | { readonly ok: true; readonly delivery: "POST"; readonly contract: ContractRuntime; readonly format: BodyFormat };

/**
 * Every check that needs no body, in the documented order: method (and the contract's own
 * methods) → client address → query
 * (parameter count) → shared secret → declared length → content coding → media type. The query
 * is decoded before the secret check because the secret may travel in it; decoding is bounded
 * by `maxParameters`. Returns the decoded query (the secret kept out of it) for GET, the body format for POST.
 */
export function verifyHead(head: RequestHead, options: ResolvedVerifyOptions): HeadVerdict {
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
  if (contract === undefined) return unknownRoute(delivery);
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
  if (delivery === "GET") return { ok: true, delivery, contract, query };
  const headers = head.headers;
  const tooLarge = checkContentLength(getHeader(headers, "content-length"), options.maxBodyBytes);
  if (tooLarge !== undefined) return tooLarge;
  const encoded = checkContentEncoding(getHeader(headers, "content-encoding"));
  if (encoded !== undefined) return encoded;
  const format = checkMediaType(getHeader(headers, "content-type"));
  if (typeof format !== "string") return format;
  return { ok: true, delivery, contract, format };
}
