import type { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";
import type { ContractRuntime } from "../contract.js";
import type { HandlerOptions, OnNotification } from "../handler/handle-notification.js";
import { handleThenSend } from "../handler/handle-then-send.js";
import type { ContractSelector } from "../select-contract.js";
import { type BodyFormat, checkMediaType } from "../verify/check-media-type.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { type BodyDone, receive } from "../verify/receive.js";
import { type ResultMessage, toResultMessage } from "../verify/to-response.js";
import { fail, processingFailed, type VerifyResult } from "../verify/verify-result.js";
import { closeLingering } from "./node.js";
import { NodeExchange } from "./node-exchange.js";
import { readNodeBody } from "./read-node-body.js";

export interface FastifyEventNotificationOptions<N extends ContractSelector = "documented">
  extends VerifyOptions<N>,
    HandlerOptions {
  /** Route path inside the plugin's prefix. Default "/". */
  readonly path?: string;
  readonly onNotification: OnNotification<N>;
}

// Every method Fastify routes by default, so non-GET/POST get our 405, not Fastify's 404.
// HEAD is added by Fastify itself (exposeHeadRoutes) and reaches the same 405.
const METHODS: HTTPMethods[] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function send(reply: FastifyReply, message: ResultMessage): FastifyReply {
  // A Buffer, so Fastify sends the content type unchanged (it appends "; charset=utf-8" to strings).
  return reply.code(message.status).headers(message.headers).send(Buffer.from(message.body));
}

const EMPTY = new Uint8Array(0);

/** A Fastify request for the adapter core: the raw request, and the reply its answer goes to. */
class FastifyExchange extends NodeExchange {
  constructor(
    readonly request: FastifyRequest,
    readonly reply: FastifyReply,
    peerAddress: string | undefined,
    /** Settles the route handler's promise: with the reply sent, or nothing for a client that left. */
    readonly settle: (sent: FastifyReply | undefined) => void,
  ) {
    super(request.raw, reply.raw, peerAddress, undefined);
  }
}

/** The Fastify body source: the untouched payload stream (see the plugin's content-type parser). */
function fastifyBody<N extends ContractSelector>(
  exchange: FastifyExchange,
  _format: BodyFormat,
  _contract: ContractRuntime,
  options: ResolvedVerifyOptions,
  done: BodyDone<N>,
): void {
  const payload = exchange.request.body as Readable | undefined;
  if (payload === undefined) done(EMPTY);
  else readNodeBody(payload, options.maxBodyBytes, done);
}

function writeAnswer(exchange: FastifyExchange, answer: VerifyResult<ContractSelector>): void {
  const raw = exchange.reply.raw;
  // The client went away before its answer: returning nothing makes Fastify send nothing.
  if (raw.destroyed) {
    exchange.settle(undefined);
    return;
  }
  const message = toResultMessage(answer);
  // Answered before the body was read to its end (a refusal from the head, a 413 mid-body):
  // a lingering close, as the Node adapter's, so the client reads the answer.
  if (!answer.ok && closeLingering(raw)) message.headers.connection = "close";
  exchange.settle(send(exchange.reply, message));
}

/**
 * Fastify 5 plugin. Register it with a prefix (it is encapsulated, so its parsers and error
 * handler touch nothing else):
 *   await app.register(eventNotificationsPlugin, { prefix: "/impact", onNotification });
 * Raw-body path: inside the plugin every content type is "parsed" into the untouched payload
 * stream, which the verifier reads with its own limit, so Fastify's bodyLimit and JSON parser
 * never see it and verdicts match `verifyRequest` byte for byte.
 */
export async function eventNotificationsPlugin<N extends ContractSelector = "documented">(
  fastify: FastifyInstance,
  options: FastifyEventNotificationOptions<N>,
): Promise<void> {
  const resolved = resolveVerifyOptions(options);
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser("*", (_request: FastifyRequest, payload: unknown, done: (e: null, b: unknown) => void) =>
    done(null, payload),
  );
  // Fastify refuses an unparsable Content-Type itself (FST_ERR_CTP_INVALID_MEDIA_TYPE, 415);
  // answer with our problem body so every adapter reports the same code.
  fastify.setErrorHandler((error: { code?: string; statusCode?: number }, request, reply) => {
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      const refused = checkMediaType(request.headers["content-type"]);
      return send(
        reply,
        toResultMessage(
          typeof refused === "string" ? fail("unsupported_media_type", "Unsupported Content-Type.") : refused,
        ),
      );
    }
    return send(reply, toResultMessage(processingFailed()));
  });
  const answer = handleThenSend(options.onNotification as OnNotification<ContractSelector>, options, writeAnswer);
  fastify.route({
    method: METHODS,
    url: options.path ?? "/",
    handler: (request, reply) =>
      new Promise<FastifyReply | undefined>((settle) =>
        receive(new FastifyExchange(request, reply, options.peerAddress, settle), resolved, fastifyBody, answer),
      ),
  });
}
