/**
 * A Node request as the adapter core sees it (src/verify/receive.ts): shared by the Node adapter
 * (createNodeHandler, verifyNodeRequest), Express, Fastify and the CLI's `listen`.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { ContractRuntime } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import type { BodyFormat } from "../verify/check-media-type.js";
import type { ResolvedVerifyOptions } from "../verify/options.js";
import type { BodyDone } from "../verify/receive.js";
import type { RequestHead } from "../verify/verify-head.js";
import { readNodeBody } from "./read-node-body.js";

/**
 * The request, the response its answer goes to (none for `verifyNodeRequest`), and the one
 * object a request costs the adapter. Getters, because Node builds `req.headers` from the raw
 * headers on first read and the socket's address is a lookup: a GET with the default options
 * needs neither, so it pays for neither.
 */
export class NodeExchange<Res extends ServerResponse | undefined = ServerResponse> implements RequestHead {
  constructor(
    readonly req: IncomingMessage,
    readonly res: Res,
    /** The peer to check instead of the socket's address (`options.peerAddress`). */
    readonly peerAddress: string | undefined,
    /**
     * The response of a request Node routed to 'checkContinue': `100 Continue` is written to it
     * only once every check that needs no body passed, so a refused request is answered before
     * the client sends its body.
     */
    readonly continueTo: ServerResponse | undefined,
  ) {}
  get method(): string {
    return this.req.method ?? "";
  }
  get url(): string {
    return this.req.url ?? "";
  }
  get headers(): IncomingHttpHeaders {
    return this.req.headers;
  }
  get peer(): string | undefined {
    return this.peerAddress ?? this.req.socket.remoteAddress;
  }
  /** Where a handler's `context.signal` learns that the client left. */
  get client(): Res {
    return this.res;
  }
}

/** An `Expect` header asking for `100 Continue` (RFC 9110 §10.1.1), as Node's own test reads it. */
const EXPECTS_CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/** The Node adapters' body source: `100 Continue` if it was asked for, then the stream read within the limit. */
export function nodeBody<N extends ContractSelector>(
  exchange: NodeExchange<ServerResponse | undefined>,
  _format: BodyFormat,
  _contract: ContractRuntime,
  options: ResolvedVerifyOptions,
  done: BodyDone<N>,
): void {
  const continueTo = exchange.continueTo;
  if (continueTo !== undefined && EXPECTS_CONTINUE.test(exchange.req.headers.expect ?? "")) continueTo.writeContinue();
  readNodeBody(exchange.req, options.maxBodyBytes, done);
}
