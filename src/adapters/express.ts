import type { IncomingMessage, ServerResponse } from "node:http";
import { type HandlerOptions, type OnNotification, verifyThenHandle } from "../handler/handle-notification.js";
import type { ContractSelector } from "../select-contract.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { verifyParts } from "../verify/verify-parts.js";
import type { VerifyResult } from "../verify/verify-result.js";
import { sendNodeResult } from "./node.js";
import { readNodeBody } from "./read-node-body.js";
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

async function verifyResolvedExpressRequest<N extends ContractSelector>(
  req: ExpressLikeRequest,
  options: ResolvedVerifyOptions,
  peer: string | undefined,
): Promise<VerifyResult<N>> {
  // originalUrl: Express rewrites req.url under app.use("/mount", …).
  const url = req.originalUrl ?? req.url ?? "";
  return verifyParts<N>({ method: req.method ?? "", url, headers: req.headers, peer }, options, (format, contract) =>
    consumed(req) ? verifyParsedBody<N>(req.body, format, options, contract) : readNodeBody(req, options.maxBodyBytes),
  );
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
  return verifyResolvedExpressRequest<N>(
    req,
    resolveVerifyOptions(options),
    options?.peerAddress ?? req.socket.remoteAddress,
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
    verifyResolvedExpressRequest<N>(req, resolved, options.peerAddress ?? req.socket.remoteAddress).then((result) => {
      if (!result.ok) return sendNodeResult(res, result);
      res.locals.eventNotification = result;
      next();
    }, next);
  };
}

export type ExpressHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

/**
 * A route handler: verify, run `onNotification`, then 200 (or 5xx so impact.com retries).
 * `context.signal` aborts when the client closes the connection before the answer.
 */
export function createExpressHandler<N extends ContractSelector = "documented">(
  onNotification: OnNotification<N>,
  options: ExpressHandlerOptions<N> = {},
): (req: ExpressLikeRequest, res: ServerResponse) => void {
  const resolved = resolveVerifyOptions(options);
  const run = async (req: ExpressLikeRequest, res: ServerResponse) => {
    const result = await verifyThenHandle(
      () => verifyResolvedExpressRequest<N>(req, resolved, options.peerAddress ?? req.socket.remoteAddress),
      onNotification,
      options,
      res,
    );
    sendNodeResult(res, result);
  };
  return (req, res) => {
    void run(req, res);
  };
}
