import type { ContractSelector } from "../select-contract.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "./options.js";
import { readBody } from "./read-body.js";
import { verifyParts } from "./verify-parts.js";
import type { VerifyResult } from "./verify-result.js";

/** `verifyRequest` with options already compiled, and the peer address given per request. */
export async function verifyResolvedRequest<N extends ContractSelector = "documented">(
  request: Request,
  options: ResolvedVerifyOptions,
  peer: string | undefined,
): Promise<VerifyResult<N>> {
  return verifyParts<N>({ method: request.method, url: request.url, headers: request.headers, peer }, options, () =>
    readBody(request.body, options.maxBodyBytes),
  );
}

/**
 * Decides whether a raw HTTP request is an acceptable impact.com Event Notification:
 * method → authenticity (address, secret) → size → decoding → validation, each a function of
 * its own in src/verify/. Never throws for anything the client sent; throws TypeError only for
 * invalid options. Works on any Fetch-API runtime (Node 20+, Deno, Bun, Workers).
 *
 * @example
 *   const result = await verifyRequest(request, { secret: { values: env.SECRET, queryParameter: "token" } });
 *   if (!result.ok) return toResponse(result);
 */
export function verifyRequest<N extends ContractSelector = "documented">(
  request: Request,
  options?: VerifyOptions<N>,
): Promise<VerifyResult<N>> {
  return verifyResolvedRequest<N>(request, resolveVerifyOptions(options), options?.peerAddress);
}
