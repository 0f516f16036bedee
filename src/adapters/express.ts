import type { IncomingMessage, ServerResponse } from "node:http";
import type { ContractRuntime } from "../contract.js";
import type { HandlerOptions, OnNotification } from "../handler/handle-notification.js";
import { handleThenSend } from "../handler/handle-then-send.js";
import type { ContractSelector } from "../select-contract.js";
import type { BodyFormat } from "../verify/check-media-type.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { type BodyDone, receive, receiveVerdict } from "../verify/receive.js";
import { processingFailed, type VerifyResult } from "../verify/verify-result.js";
import { sendNodeResponse } from "./node.js";
import { NodeExchange, nodeBody } from "./node-exchange.js";
import { verifyParsedBody } from "./verify-parsed-body.js";

/** The parts of an Express 4/5 request used here (structural, so `express` is not a dependency). */
export interface ExpressLikeRequest extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
  /** Set by Express 4's body-parser 1.x once it starts reading. */
  _body?: boolean;
}

export interface ExpressLikeResponse extends ServerResponse {
  locals: Record<string, unknown>;
}

/**
 * Whether a body parser already consumed the stream. Express 4 (body-parser 1) marks `req._body`
 * and sets `req.body = {}` even for requests it skipped, so `{}` alone proves nothing; Express 5
 * (body-parser 2) leaves `req.body` undefined when it did not parse (its read.js checks
 * on-finished's `isFinished`, i.e. `complete && !readable`). The stream state is the reliable signal.
 */
function consumed(req: ExpressLikeRequest): boolean {
  return req._body === true || req.readableEnded || req.readableDidRead || (req.complete && !req.readable);
}

/** An Express request for the adapter core: its `originalUrl` (Express rewrites `req.url` under `app.use("/mount", …)`). */
class ExpressExchange<Res extends ServerResponse | undefined = ServerResponse> extends NodeExchange<Res> {
  declare readonly req: ExpressLikeRequest;
  override get url(): string {
    return this.req.originalUrl ?? this.req.url ?? "";
  }
}

/** The Express body source: the raw stream when it is untouched, else what a body parser left. */
function expressBody<N extends ContractSelector>(
  exchange: ExpressExchange<ServerResponse | undefined>,
  format: BodyFormat,
  contract: ContractRuntime,
  options: ResolvedVerifyOptions,
  done: BodyDone<N>,
): void {
  const req = exchange.req;
  if (consumed(req)) done(verifyParsedBody<N>(req.body, format, options, contract));
  else nodeBody(exchange, format, contract, options, done);
}

/**
 * Verifies an Express 4 or 5 request, whether or not `express.json()` / `express.urlencoded()` /
 * `express.raw()` / `express.text()` ran before: it reads the raw stream when it is untouched
 * (full byte-level checks) and checks the parsed body otherwise. It never waits on a consumed stream.
 */
export function verifyExpressRequest<N extends ContractSelector = "documented">(
  req: ExpressLikeRequest,
  options?: VerifyOptions<N>,
): Promise<VerifyResult<N>> {
  return receiveVerdict<ExpressExchange<undefined>, N>(
    new ExpressExchange(req, undefined, options?.peerAddress, undefined),
    resolveVerifyOptions(options),
    expressBody,
  );
}

type Next = (error?: unknown) => void;

/**
 * Middleware that answers refused requests itself and, on success, puts the verdict in
 * `res.locals.eventNotification` and calls `next()`. Note: your route then decides the status;
 * prefer `createExpressHandler` so 2xx is sent only after your code has stored the notification.
 */
export function createExpressMiddleware<N extends ContractSelector = "documented">(
  options: VerifyOptions<N> = {},
): (req: ExpressLikeRequest, res: ExpressLikeResponse, next: Next) => void {
  const resolved = resolveVerifyOptions(options);
  return (req, res, next) => {
    receiveVerdict<ExpressExchange<undefined>, N>(
      new ExpressExchange(req, undefined, options.peerAddress, undefined),
      resolved,
      expressBody,
    ).then((result) => {
      if (!result.ok) return sendNodeResponse(res, result);
      res.locals.eventNotification = result;
      next();
    }, next);
  };
}

export type ExpressHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

const writeAnswer = (exchange: ExpressExchange, answer: VerifyResult<ContractSelector>) =>
  sendNodeResponse(exchange.res, answer);

/**
 * A route handler: verify, run `onNotification`, then 200 (or 5xx so impact.com retries).
 * `context.signal` aborts when the client closes the connection before the answer.
 */
export function createExpressHandler<N extends ContractSelector = "documented">(
  onNotification: OnNotification<N>,
  options: ExpressHandlerOptions<N> = {},
): (req: ExpressLikeRequest, res: ServerResponse) => void {
  const resolved = resolveVerifyOptions(options);
  const send = handleThenSend(onNotification as OnNotification<ContractSelector>, options, writeAnswer);
  return (req, res) => {
    try {
      receive(new ExpressExchange(req, res, options.peerAddress, undefined), resolved, expressBody, send);
    } catch {
      sendNodeResponse(res, processingFailed());
    }
  };
}
