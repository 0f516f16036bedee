import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { HandlerOptions, OnNotification } from "../handler/handle-notification.js";
import { handleThenSend } from "../handler/handle-then-send.js";
import { isRecorder, type NotificationRecorder } from "../handler/recorder.js";
import type { ContractSelector } from "../select-contract.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { receive, receiveVerdict, type Send } from "../verify/receive.js";
import { SUCCESS_BODY, toResultMessage } from "../verify/to-response.js";
import { processingFailed, type VerifyResult } from "../verify/verify-result.js";
import { clientError, whenAnswerable } from "./node-connection.js";
import { NodeExchange, nodeBody } from "./node-exchange.js";
import { inboxUnavailable, recordVerdict } from "./record-node-request.js";

/**
 * Verifies a `node:http` / `node:https` request. The peer address is the socket's unless
 * `options.peerAddress` says otherwise; `X-Forwarded-For` counts only from `trustedProxies`.
 * From the server's 'checkContinue' listener pass its `res` as `continueTo`: `100 Continue` is
 * then sent only once the request passed every check that needs no body (see `createNodeHandler`).
 */
export function verifyNodeRequest<N extends ContractSelector = "documented">(
  req: IncomingMessage,
  options?: VerifyOptions<N>,
  continueTo?: ServerResponse,
): Promise<VerifyResult<N>> {
  // Read straight from the Node stream (no Fetch Request built); the same verdict as verifyRequest.
  return receiveVerdict<NodeExchange<undefined>, N>(
    new NodeExchange(req, undefined, options?.peerAddress, continueTo),
    resolveVerifyOptions(options),
    nodeBody,
  );
}

const SUCCESS_HEADERS = {
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(SUCCESS_BODY)),
} as const;

/** How long a refused upload is still read after the answer: time for the answer to reach the client. */
export const LINGER_MS = 2000;
/** How much of it is read at most (then the connection is cut, as without lingering). */
export const LINGER_BYTES = 16 * 1024 * 1024;
/** How often a lingering socket's limits are checked. */
const LINGER_CHECK_MS = 10;

/**
 * A lingering close (RFC 9112 §9.6): the answer and a FIN go out, the client's remaining upload is
 * read and dropped, and the socket closes once the client stops sending (its FIN, or the body's
 * end), after LINGER_MS, or after about LINGER_BYTES. Closing with the upload unread would make
 * the kernel reset the connection, and a client still writing then sees EPIPE or ECONNRESET
 * instead of the answer (most Node clients, most of the time).
 */
function linger(socket: Socket, req: IncomingMessage): void {
  if (socket.writable) socket.end();
  // Node's parser reads the socket itself (no 'data' events) and drops a dumped request's body
  // without a word, so the limits are checked on the socket's byte count, by a timer.
  const limit = socket.bytesRead + LINGER_BYTES;
  const until = Date.now() + LINGER_MS;
  const check = setInterval(() => {
    if (socket.bytesRead > limit || Date.now() >= until) close();
  }, LINGER_CHECK_MS);
  const close = () => {
    clearInterval(check);
    socket.destroy();
  };
  // A body paused at a 413 mid-body flows again, into nothing; its end ends the linger too.
  req.once("end", close);
  req.resume();
  socket.once("end", close);
  socket.once("close", () => clearInterval(check));
}

/**
 * Whether a request carries a body (RFC 9112 §6.3): a GET without one is answered within its
 * 'request' event, before Node marks it complete, and must not close its connection for that.
 */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

/**
 * For an answer about to be sent before the request's body was read to its end (a refusal from
 * the head, or a 413 mid-body): arranges a lingering close instead of Node's immediate one, and
 * returns true; the answer must then carry `Connection: close` (nothing more can follow on this
 * connection). False, and nothing changed, when the body was read whole.
 * Node closes such a connection with `socket.destroySoon()` once the answer is written; that one
 * socket's `destroySoon` is replaced by `linger`.
 */
export function closeLingering(res: ServerResponse): boolean {
  const req = res.req as IncomingMessage | undefined;
  if (req === undefined || req.complete || !hasBody(req)) return false;
  const socket = res.socket as (Socket & { destroySoon?: () => void }) | null;
  if (socket !== null && !socket.destroyed) socket.destroySoon = () => linger(socket, req);
  return true;
}

/** Writes a verdict: 200 `{"ok":true}` or problem+json with the status's required headers. */
export function sendNodeResponse<N extends ContractSelector>(res: ServerResponse, result: VerifyResult<N>): void {
  // Destroyed: the client went away before its answer; there is no one to send it to.
  if (res.headersSent || res.destroyed) return;
  if (result.ok) {
    res.writeHead(200, SUCCESS_HEADERS).end(SUCCESS_BODY);
    return;
  }
  const message = toResultMessage(result);
  const headers: Record<string, string> = message.headers;
  headers["content-length"] = String(Buffer.byteLength(message.body));
  if (closeLingering(res)) headers.connection = "close";
  res.writeHead(message.status, headers).end(message.body);
}

export type NodeHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

/** A `node:http` request listener, with its twins for the server's 'checkContinue' and 'clientError' events. */
export interface NodeHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /**
   * The same handler for requests sent with `Expect: 100-continue`. Node answers those with
   * `100 Continue` itself, before any check, unless the server has a 'checkContinue' listener;
   * with this one, a request refused from its head (413 for a Content-Length over the limit,
   * 401, 405, 415…) is answered at once and its body is never sent, and `100 Continue` goes out
   * only once the head passed:
   *   const handler = createNodeHandler(onNotification);
   *   createServer(handler).on("checkContinue", handler.checkContinue);
   */
  readonly checkContinue: (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * For the server's 'clientError' event: Node's own answer, except to bytes sent after a request
   * that asked to close the connection (\`Connection: close\`, then a pipelined request). Node
   * would answer those 400 and destroy the socket, losing the answer to the request before it,
   * whose notification was already handled (so impact.com would send it again); here they are
   * dropped, and that answer goes out:
   *   createServer(handler).on("clientError", handler.clientError);
   */
  readonly clientError: (error: Error & { code?: string }, socket: Duplex) => void;
}

/** The listener and its twins for 'checkContinue' and 'clientError', each request fed to the adapter core. */
function nodeHandler<R extends NodeExchange>(
  exchange: new (
    req: IncomingMessage,
    res: ServerResponse,
    peerAddress: string | undefined,
    continueTo: ServerResponse | undefined,
  ) => R,
  options: ResolvedVerifyOptions,
  peerAddress: string | undefined,
  send: Send<R, ContractSelector>,
): NodeHandler {
  const run = (req: IncomingMessage, res: ServerResponse, continueTo: ServerResponse | undefined) => {
    // Anything unexpected (a bug, a broken stream) is answered 500, never left hanging or thrown
    // out of an event listener: impact.com retries, nothing is lost.
    try {
      receive(new exchange(req, res, peerAddress, continueTo), options, nodeBody, send);
    } catch {
      sendNodeResponse(res, processingFailed());
    }
  };
  // The usual request (its response already holds a writable socket) runs at once, without the
  // closure whenAnswerable needs to wait.
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (res.socket?.writable === true) run(req, res, undefined);
    else whenAnswerable(res, () => run(req, res, undefined));
  };
  return Object.assign(handler, {
    checkContinue: (req: IncomingMessage, res: ServerResponse) => whenAnswerable(res, () => run(req, res, res)),
    clientError,
  });
}

/** Writes an answer to the exchange's response. */
const writeAnswer = (exchange: NodeExchange, answer: VerifyResult<ContractSelector>) =>
  sendNodeResponse(exchange.res, answer);

/**
 * A `(req, res)` handler for `http.createServer`: verifies, runs `onNotification`, and answers
 * 2xx only once it has resolved (5xx if it throws or times out, so impact.com retries).
 * `context.signal` aborts when the client closes the connection before the answer.
 * Given an inbox (`createInbox`, impact-event-notifications/inbox) instead of `onNotification`,
 * it records each request and answers 2xx once the notification is committed; `inbox.process`
 * runs your code afterwards.
 */
export function createNodeHandler<N extends ContractSelector = "documented">(
  onNotification: OnNotification<N> | NotificationRecorder,
  options: NodeHandlerOptions<N> = {},
): NodeHandler {
  const resolved = resolveVerifyOptions(options);
  if (isRecorder(onNotification)) {
    return nodeHandler(RecordedExchange, resolved, options.peerAddress, recordThenSend(onNotification));
  }
  const send = handleThenSend(onNotification as OnNotification<ContractSelector>, options, writeAnswer);
  return nodeHandler(NodeExchange, resolved, options.peerAddress, send);
}

/** A request an inbox records: when it arrived, too. */
class RecordedExchange extends NodeExchange {
  readonly receivedAt = Date.now();
}

/** The inbox's `send`: the verdict recorded, then the answer that follows from the write. */
function recordThenSend(recorder: NotificationRecorder): Send<RecordedExchange, ContractSelector> {
  return (exchange, result, body, contract) => {
    const res = exchange.res;
    recordVerdict(recorder, exchange.req, result, body, contract, exchange.peer, exchange.receivedAt).then(
      ({ answer }) => sendNodeResponse(res, answer),
      () => sendNodeResponse(res, inboxUnavailable()),
    );
  };
}
