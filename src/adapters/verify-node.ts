/**
 * The Node stream driven through the verifier's pipeline by callbacks: shared by the Node adapter
 * (createNodeHandler, verifyNodeRequest) and the CLI's \`listen\`, which also needs the body bytes
 * for the inbox.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { processingFailed } from "../handler/handle-notification.js";
import type { ContractSelector } from "../select-contract.js";
import type { ResolvedVerifyOptions } from "../verify/options.js";
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

/** An `Expect` header asking for `100 Continue` (RFC 9110 §10.1.1), as Node's own test reads it. */
const EXPECTS_CONTINUE = /(?:^|\W)100-continue(?:$|\W)/i;

/**
 * The verifier's pipeline (`verifyBeforeBody`, then `verifyPostBody`) driven by callbacks from the
 * Node stream: no Fetch Request, and no promise, so a GET is decided within its 'request' event
 * and a POST within its body's 'end'. `done` is called exactly once. A throw from the pipeline
 * itself (a bug) reaches the caller before the body is read; after it, where nothing could catch
 * it but the process, it becomes `processingFailed()` (500, impact.com retries).
 * `continueTo`: the response of a request Node routed to 'checkContinue'; `100 Continue` is
 * written to it only once every check that needs no body passed, so a refused request is answered
 * before the client sends its body.
 */
export function verifyNodeThen<N extends ContractSelector>(
  req: IncomingMessage,
  options: ResolvedVerifyOptions,
  /** The peer to check instead of the socket's address (`options.peerAddress`). */
  peer: string | undefined,
  done: (result: VerifyResult<N>, body?: Uint8Array) => void,
  continueTo?: ServerResponse,
): void {
  const step = verifyBeforeBody<N>(new NodeHead(req, peer), options);
  if (!wantsBody(step)) {
    done(step);
    return;
  }
  if (continueTo !== undefined && EXPECTS_CONTINUE.test(req.headers.expect ?? "")) continueTo.writeContinue();
  readNodeBodyThen(req, options.maxBodyBytes, (bytes) => {
    let result: VerifyResult<N>;
    try {
      result = verifyPostBody<N>(step, bytes, options);
    } catch {
      result = processingFailed();
    }
    done(result, bytes instanceof Uint8Array ? bytes : undefined);
  });
}

/** `verifyNodeThen` as a promise of the verdict and the body bytes it read (if it read them whole). */
export function verifyNodeWithBody<N extends ContractSelector>(
  req: IncomingMessage,
  options: ResolvedVerifyOptions,
  peer: string | undefined,
  continueTo?: ServerResponse,
): Promise<{ readonly result: VerifyResult<N>; readonly body: Uint8Array | undefined }> {
  return new Promise((resolve) =>
    verifyNodeThen<N>(req, options, peer, (result, body) => resolve({ result, body }), continueTo),
  );
}
