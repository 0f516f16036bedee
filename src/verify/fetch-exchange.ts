import type { ContractRuntime } from "../contract.js";
import type { ContractSelector } from "../select-contract.js";
import type { BodyFormat } from "./check-media-type.js";
import type { HeaderSource } from "./header.js";
import type { ResolvedVerifyOptions } from "./options.js";
import { readBody } from "./read-body.js";
import type { BodyDone } from "./receive.js";
import type { RequestHead } from "./verify-head.js";
import { processingFailed } from "./verify-result.js";

/** A Fetch `Request` as the adapter core sees it (src/verify/receive.ts), with the peer the runtime knows. */
export class FetchExchange implements RequestHead {
  constructor(
    readonly request: Request,
    readonly peer: string | undefined,
  ) {}
  get method(): string {
    return this.request.method;
  }
  get url(): string {
    return this.request.url;
  }
  get headers(): HeaderSource {
    return this.request.headers;
  }
  /** Where a handler's `context.signal` learns that the client left: the Request's own `signal`. */
  get client(): Request {
    return this.request;
  }
}

/**
 * The Fetch body source: the Request's stream, read within the limit. A stream that cannot be
 * read at all (locked by other code) is the receiver's trouble, answered 500 so impact.com retries.
 */
export function fetchBody<N extends ContractSelector>(
  exchange: FetchExchange,
  _format: BodyFormat,
  _contract: ContractRuntime,
  options: ResolvedVerifyOptions,
  done: BodyDone<N>,
): void {
  readBody(exchange.request.body, options.maxBodyBytes).then(done, () => done(processingFailed()));
}
