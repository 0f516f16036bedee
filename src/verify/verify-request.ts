import type { ContractSelector } from "../select-contract.js";
import { FetchExchange, fetchBody } from "./fetch-exchange.js";
import { resolveVerifyOptions, type VerifyOptions } from "./options.js";
import { receiveVerdict } from "./receive.js";
import type { VerifyResult } from "./verify-result.js";

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
  return receiveVerdict<FetchExchange, N>(
    new FetchExchange(request, options?.peerAddress),
    resolveVerifyOptions(options),
    fetchBody,
  );
}
