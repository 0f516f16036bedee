import type { HandlerOptions, OnNotification } from "../handler/handle-notification.js";
import { handleThenSend } from "../handler/handle-then-send.js";
import type { ContractSelector } from "../select-contract.js";
import { FetchExchange, fetchBody } from "../verify/fetch-exchange.js";
import { resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { receive } from "../verify/receive.js";
import { toResponse } from "../verify/to-response.js";
import type { VerifyResult } from "../verify/verify-result.js";

export type FetchHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

/** Per-request facts a Fetch runtime knows but `Request` does not carry. */
export interface FetchRequestContext {
  /** The connecting peer, e.g. Hono on Node: `c.env.incoming.socket.remoteAddress`; Deno: `info.remoteAddr.hostname`. */
  readonly peerAddress?: string;
}

/** A Request being handled, and how its `Response` is handed back. */
class FetchReply extends FetchExchange {
  constructor(
    request: Request,
    peer: string | undefined,
    readonly reply: (response: Response) => void,
  ) {
    super(request, peer);
  }
}

const writeAnswer = (exchange: FetchReply, answer: VerifyResult<ContractSelector>) =>
  exchange.reply(toResponse(answer));

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
  const send = handleThenSend(onNotification as OnNotification<ContractSelector>, options, writeAnswer);
  return (request, context) =>
    new Promise((resolve) =>
      receive(new FetchReply(request, context?.peerAddress ?? options.peerAddress, resolve), resolved, fetchBody, send),
    );
}
