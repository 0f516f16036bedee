import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import {
  type HandlerOptions,
  handleNotification,
  type OnNotification,
  processingFailed,
  runNotificationHandler,
} from "../handler/handle-notification.js";
import { syncKeyAvailable } from "../handler/notification-key.js";
import type { ContractSelector } from "../select-contract.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { SUCCESS_BODY, toResultMessage } from "../verify/to-response.js";
import type { RequestHead } from "../verify/verify-head.js";
import { verifyBeforeBody, verifyPostBody, wantsBody } from "../verify/verify-parts.js";
import type { VerifyResult } from "../verify/verify-result.js";
import { readNodeBodyThen } from "./read-node-body.js";

/**
 * A Node request as the verifier sees it. Getters, because Node builds `req.headers` from the raw
 * headers on first read and the socket's address is a lookup: a GET with the default options
 * needs neither, so it pays for neither.
 */
class NodeHead implements RequestHead {
  readonly #req: IncomingMessage;
  readonly #peer: string | undefined;
  constructor(req: IncomingMessage, peer: string | undefined) {
    this.#req = req;
    this.#peer = peer;
  }
  get method(): string {
    return this.#req.method ?? "";
  }
  get url(): string {
    return this.#req.url ?? "";
  }
  get headers(): IncomingHttpHeaders {
    return this.#req.headers;
  }
  get peer(): string | undefined {
    return this.#peer ?? this.#req.socket.remoteAddress;
  }
}

/**
 * The verifier's pipeline (`verifyBeforeBody`, then `verifyPostBody`) driven by callbacks from the
 * Node stream: no Fetch Request, and no promise, so a GET is decided within its 'request' event
 * and a POST within its body's 'end'. `done` is called exactly once. A throw from the pipeline
 * itself (a bug) reaches the caller before the body is read; after it, where nothing could catch
 * it but the process, it becomes `processingFailed()` (500, impact.com retries).
 */
function verifyNodeThen<N extends ContractSelector>(
  req: IncomingMessage,
  options: ResolvedVerifyOptions,
  /** The peer to check instead of the socket's address (`options.peerAddress`). */
  peer: string | undefined,
  done: (result: VerifyResult<N>) => void,
): void {
  const step = verifyBeforeBody<N>(new NodeHead(req, peer), options);
  if (!wantsBody(step)) {
    done(step);
    return;
  }
  readNodeBodyThen(req, options.maxBodyBytes, (bytes) => {
    let result: VerifyResult<N>;
    try {
      result = verifyPostBody<N>(step, bytes, options);
    } catch {
      result = processingFailed();
    }
    done(result);
  });
}

/**
 * Same verdict as `verifyRequest`, read straight from the Node stream (no Fetch Request built).
 * `peer` replaces the socket's address when given.
 */
export function verifyResolvedNodeRequest<N extends ContractSelector = "documented">(
  req: IncomingMessage,
  options: ResolvedVerifyOptions,
  peer: string | undefined,
): Promise<VerifyResult<N>> {
  return new Promise((resolve) => verifyNodeThen<N>(req, options, peer, resolve));
}

/**
 * Verifies a `node:http` / `node:https` request. The peer address is the socket's unless
 * `options.peerAddress` says otherwise; `X-Forwarded-For` counts only from `trustedProxies`.
 */
export function verifyNodeRequest<N extends ContractSelector = "documented">(
  req: IncomingMessage,
  options?: VerifyOptions<N>,
): Promise<VerifyResult<N>> {
  return verifyResolvedNodeRequest<N>(req, resolveVerifyOptions(options), options?.peerAddress);
}

const SUCCESS_HEADERS = {
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(SUCCESS_BODY)),
} as const;

/** Writes a verdict: 200 `{"ok":true}` or problem+json with the status's required headers. */
export function sendNodeResult<N extends ContractSelector>(res: ServerResponse, result: VerifyResult<N>): void {
  if (res.headersSent) return;
  if (result.ok) {
    res.writeHead(200, SUCCESS_HEADERS).end(SUCCESS_BODY);
    return;
  }
  const message = toResultMessage(result);
  const headers: Record<string, string> = message.headers;
  headers["content-length"] = String(Buffer.byteLength(message.body));
  // A body refused before its end was read: close instead of draining it for keep-alive.
  if (res.req !== undefined && !res.req.complete) headers.connection = "close";
  res.writeHead(message.status, headers).end(message.body);
}

export type NodeHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

/**
 * A `(req, res)` handler for `http.createServer`: verifies, runs `onNotification`, and answers
 * 2xx only once it has resolved (5xx if it throws or times out, so impact.com retries).
 */
export function createNodeHandler<N extends ContractSelector = "documented">(
  onNotification: OnNotification<N>,
  options: NodeHandlerOptions<N> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const resolved = resolveVerifyOptions(options);
  const fixedPeer = options.peerAddress;
  const failed = (res: ServerResponse) => sendNodeResult(res, processingFailed());
  // Where node:crypto is missing the key must be computed (asynchronously) before the handler runs.
  const handle = syncKeyAvailable ? runNotificationHandler : handleNotification;
  return (req, res) => {
    // Anything unexpected (a bug, a broken stream) is answered 500, never left hanging or thrown
    // out of an event listener: impact.com retries, nothing is lost.
    const answer = (result: VerifyResult<N>) => {
      try {
        const outcome = handle(result, onNotification, options);
        if (outcome instanceof Promise) outcome.then((r) => sendNodeResult(res, r)).catch(() => failed(res));
        else sendNodeResult(res, outcome);
      } catch {
        failed(res);
      }
    };
    try {
      verifyNodeThen<N>(req, resolved, fixedPeer, answer);
    } catch {
      failed(res);
    }
  };
}
