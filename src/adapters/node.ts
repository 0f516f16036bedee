import type { IncomingMessage, ServerResponse } from "node:http";
import type { ContractName } from "../../generated/index.js";
import { type HandlerOptions, type OnNotification, verifyThenHandle } from "../handler/handle-notification.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { SUCCESS_BODY, toResultMessage } from "../verify/to-response.js";
import { verifyParts } from "../verify/verify-parts.js";
import type { VerifyResult } from "../verify/verify-result.js";
import { readNodeBody } from "./read-node-body.js";

/** Same verdict as `verifyRequest`, read straight from the Node stream (no Fetch Request built). */
export async function verifyResolvedNodeRequest<N extends ContractName = "documented">(
  req: IncomingMessage,
  options: ResolvedVerifyOptions,
  peer: string | undefined,
): Promise<VerifyResult<N>> {
  return verifyParts<N>({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, peer }, options, () =>
    readNodeBody(req, options.maxBodyBytes),
  );
}

/**
 * Verifies a `node:http` / `node:https` request. The peer address is the socket's unless
 * `options.peerAddress` says otherwise; `X-Forwarded-For` counts only from `trustedProxies`.
 */
export function verifyNodeRequest<N extends ContractName = "documented">(
  req: IncomingMessage,
  options?: VerifyOptions<N>,
): Promise<VerifyResult<N>> {
  return verifyResolvedNodeRequest<N>(
    req,
    resolveVerifyOptions(options),
    options?.peerAddress ?? req.socket.remoteAddress,
  );
}

const SUCCESS_HEADERS = {
  "content-type": "application/json",
  "content-length": String(Buffer.byteLength(SUCCESS_BODY)),
} as const;

/** Writes a verdict: 200 `{"ok":true}` or problem+json with the status's required headers. */
export function sendNodeResult<N extends ContractName>(res: ServerResponse, result: VerifyResult<N>): void {
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

export type NodeHandlerOptions<N extends ContractName = "documented"> = VerifyOptions<N> & HandlerOptions;

/**
 * A `(req, res)` handler for `http.createServer`: verifies, runs `onNotification`, and answers
 * 2xx only once it has resolved (5xx if it throws or times out, so impact.com retries).
 */
export function createNodeHandler<N extends ContractName = "documented">(
  onNotification: OnNotification<N>,
  options: NodeHandlerOptions<N> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const resolved = resolveVerifyOptions(options);
  const fixedPeer = options.peerAddress;
  const run = async (req: IncomingMessage, res: ServerResponse) => {
    const result = await verifyThenHandle(
      () => verifyResolvedNodeRequest<N>(req, resolved, fixedPeer ?? req.socket.remoteAddress),
      onNotification,
      options,
    );
    sendNodeResult(res, result);
  };
  return (req, res) => {
    void run(req, res);
  };
}
