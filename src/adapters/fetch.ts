import { type HandlerOptions, type OnNotification, verifyThenHandle } from "../handler/handle-notification.js";
import type { ContractSelector } from "../select-contract.js";
import { resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { toResponse } from "../verify/to-response.js";
import { verifyResolvedRequest } from "../verify/verify-request.js";

export type FetchHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

/** Per-request facts a Fetch runtime knows but `Request` does not carry. */
export interface FetchRequestContext {
  /** The connecting peer, e.g. Hono on Node: `c.env.incoming.socket.remoteAddress`; Deno: `info.remoteAddr.hostname`. */
  readonly peerAddress?: string;
}

/**
 * A `(request) => Promise<Response>` handler for Fetch-API runtimes (Hono, Next.js route
 * handlers, Deno.serve, Bun.serve, Cloudflare Workers): verify, run `onNotification`, and answer
 * 200 only once it resolved; 5xx when it throws or times out so impact.com retries.
 * `context.signal` also follows the Request's own `signal`, which runtimes that notice a client
 * disconnect abort (Deno.serve, Bun.serve, @hono/node-server); where the runtime never aborts
 * it, only the time limit does.
 */
export function createFetchHandler<N extends ContractSelector = "documented">(
  onNotification: OnNotification<N>,
  options: FetchHandlerOptions<N> = {},
): (request: Request, context?: FetchRequestContext) => Promise<Response> {
  const resolved = resolveVerifyOptions(options);
  return async (request, context) => {
    const result = await verifyThenHandle(
      () => verifyResolvedRequest<N>(request, resolved, context?.peerAddress ?? options.peerAddress),
      onNotification,
      options,
      request,
    );
    return toResponse(result);
  };
}
