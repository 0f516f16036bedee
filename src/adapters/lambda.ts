import type { ContractRuntime } from "../contract.js";
import type { HandlerOptions, OnNotification } from "../handler/handle-notification.js";
import { handleThenSend } from "../handler/handle-then-send.js";
import type { ContractSelector } from "../select-contract.js";
import { tooLarge } from "../verify/check-content-length.js";
import type { BodyFormat } from "../verify/check-media-type.js";
import { type ResolvedVerifyOptions, resolveVerifyOptions, type VerifyOptions } from "../verify/options.js";
import { type BodyDone, receive, receiveVerdict } from "../verify/receive.js";
import { toResultMessage } from "../verify/to-response.js";
import type { RequestHead } from "../verify/verify-head.js";
import type { VerifyResult } from "../verify/verify-result.js";

type StringMap = Readonly<Record<string, string | undefined>> | null | undefined;

/** API Gateway REST API / HTTP API payload format 1.0 (structural subset of @types/aws-lambda). */
export interface LambdaEventV1 {
  readonly httpMethod: string;
  /** The request path; used only with the `byRoute` option. */
  readonly path?: string;
  readonly headers?: StringMap;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  readonly queryStringParameters?: StringMap;
  readonly multiValueQueryStringParameters?: Readonly<Record<string, readonly string[] | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly identity?: { readonly sourceIp?: string } };
}

/** API Gateway HTTP API payload format 2.0, also used by Lambda Function URLs. */
export interface LambdaEventV2 {
  readonly version: string;
  /** The request path; used only with the `byRoute` option. */
  readonly rawPath?: string;
  readonly rawQueryString: string;
  readonly headers?: StringMap;
  readonly body?: string;
  readonly isBase64Encoded: boolean;
  readonly requestContext: { readonly http: { readonly method: string; readonly sourceIp?: string } };
}

export type LambdaEvent = LambdaEventV1 | LambdaEventV2;

export interface LambdaResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}

function isV2(event: LambdaEvent): event is LambdaEventV2 {
  return "requestContext" in event && event.requestContext !== undefined && "http" in event.requestContext;
}

/** Header names lower-cased; v1 keeps the client's spelling and splits repeats into multiValueHeaders. */
function lowerHeaders(event: LambdaEvent): Record<string, string> {
  const out: Record<string, string> = {};
  const multi = isV2(event) ? undefined : event.multiValueHeaders;
  if (multi) {
    for (const [name, values] of Object.entries(multi)) if (values) out[name.toLowerCase()] = values.join(", ");
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined && !(name.toLowerCase() in out)) out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * Payload 1.0 has no raw query string, only decoded values (repeats in the multi-value map), so
 * the query is re-encoded: the same pairs, in order, through the same decoder as every adapter.
 */
function queryV1(event: LambdaEventV1): string {
  // Entries are read, never copied into an object: copying would turn a "__proto__" parameter
  // into a prototype change and hide it from the forbidden-key check.
  const parts: string[] = [];
  const pair = (key: string, value: string) => parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  const multi = event.multiValueQueryStringParameters;
  if (multi) {
    for (const [key, values] of Object.entries(multi)) for (const value of values ?? []) pair(key, value);
  } else {
    for (const [key, value] of Object.entries(event.queryStringParameters ?? {}))
      if (value !== undefined) pair(key, value);
  }
  return parts.join("&");
}

/**
 * A Lambda event as the adapter core sees it (src/verify/receive.ts). Read through getters, so an
 * event of an unexpected shape fails inside the verifier (500, impact.com retries) rather than
 * before it.
 */
class LambdaExchange implements RequestHead {
  #headers: Record<string, string> | undefined;
  #url: string | undefined;
  /** API Gateway gives no way to learn that the client left. */
  readonly client = undefined;
  constructor(
    readonly event: LambdaEvent,
    readonly peerAddress: string | undefined,
    /** How a handler's answer is handed back (unused by `verifyLambdaEvent`). */
    readonly reply: (result: LambdaResult) => void = ignore,
  ) {}
  get method(): string {
    const event = this.event;
    return isV2(event) ? event.requestContext.http.method : event.httpMethod;
  }
  /** Payload 1.0's query is rebuilt (see `queryV1`), once. */
  get url(): string {
    const event = this.event;
    this.#url ??= isV2(event)
      ? `${event.rawPath ?? "/"}?${event.rawQueryString}`
      : `${event.path ?? "/"}?${queryV1(event)}`;
    return this.#url;
  }
  get headers(): Record<string, string> {
    this.#headers ??= lowerHeaders(this.event);
    return this.#headers;
  }
  get peer(): string | undefined {
    const event = this.event;
    return (
      this.peerAddress ?? (isV2(event) ? event.requestContext.http.sourceIp : event.requestContext?.identity?.sourceIp)
    );
  }
}

const ignore = () => undefined;

/** The Lambda body source: API Gateway buffered the body already; the limit still applies to what arrived. */
function lambdaBody<N extends ContractSelector>(
  exchange: LambdaExchange,
  _format: BodyFormat,
  _contract: ContractRuntime,
  options: ResolvedVerifyOptions,
  done: BodyDone<N>,
): void {
  const event = exchange.event;
  const bytes = Buffer.from(event.body ?? "", event.isBase64Encoded === true ? "base64" : "utf8");
  done(bytes.byteLength > options.maxBodyBytes ? tooLarge(options.maxBodyBytes) : bytes);
}

/**
 * Verifies an AWS Lambda HTTP event: API Gateway REST (v1), HTTP API (v1 or v2 payload) and
 * Function URLs (v2), decoding base64 bodies. The peer is `requestContext…sourceIp`.
 */
export function verifyLambdaEvent<N extends ContractSelector = "documented">(
  event: LambdaEvent,
  options?: VerifyOptions<N>,
): Promise<VerifyResult<N>> {
  return receiveVerdict<LambdaExchange, N>(
    new LambdaExchange(event, options?.peerAddress),
    resolveVerifyOptions(options),
    lambdaBody,
  );
}

/** Turns a verdict into a Lambda proxy result, as `toResponse` does into a Fetch `Response`. */
export function toLambdaResponse<N extends ContractSelector>(result: VerifyResult<N>): LambdaResult {
  const message = toResultMessage(result);
  return { statusCode: message.status, headers: message.headers, body: message.body, isBase64Encoded: false };
}

export type LambdaHandlerOptions<N extends ContractSelector = "documented"> = VerifyOptions<N> & HandlerOptions;

const writeAnswer = (exchange: LambdaExchange, answer: VerifyResult<ContractSelector>) =>
  exchange.reply(toLambdaResponse(answer));

/** A Lambda handler: verify, run `onNotification`, 200 only once it resolved, 5xx otherwise. */
export function createLambdaHandler<N extends ContractSelector = "documented">(
  onNotification: OnNotification<N>,
  options: LambdaHandlerOptions<N> = {},
): (event: LambdaEvent) => Promise<LambdaResult> {
  const resolved = resolveVerifyOptions(options);
  const send = handleThenSend(onNotification as OnNotification<ContractSelector>, options, writeAnswer);
  return (event) =>
    new Promise((resolve) =>
      receive(new LambdaExchange(event, options.peerAddress, resolve), resolved, lambdaBody, send),
    );
}
