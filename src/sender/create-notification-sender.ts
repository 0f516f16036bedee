/**
 * Sends notifications the way impact.com does, to any URL: a partner's receiver, the local
 * `listen` command, or the Prism mock. Built on openapi-fetch with the generated `paths` types;
 * the notification types come from the contract (a built-in name, or one of your generated contracts).
 *
 * What "the way impact.com does" means (facts sheet §4, §4.1, §6): GET with the values in the
 * query string and no body, or POST with a JSON body; `User-Agent: Impact-Postback-Client/1.0`;
 * `Accept-Encoding: gzip, br`; no signature; any 2xx is success and anything else would be
 * retried. Redirects are not followed: a 3xx is reported as the status it is.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../../generated/documented/types.js";
import type { Delivery } from "../contract.js";
import type { ContractSelector, TypesOf } from "../select-contract.js";
import type { SecretOptions } from "../verify/options.js";
import { readBoundedText } from "./read-bounded-text.js";
import { sentSecret } from "./sent-secret.js";
import { joinQuery, toQueryString } from "./to-query-string.js";

export const IMPACT_USER_AGENT = "Impact-Postback-Client/1.0";

export interface NotificationSenderOptions<N extends ContractSelector = "documented"> {
  /** The full URL configured in impact.com, e.g. `https://example.com/notifications?token=…`. */
  readonly baseUrl: string | URL;
  /**
   * The contract the notifications follow, for their types: a built-in name (default
   * "documented") or one of your generated contracts (`contracts.me`). Nothing is checked
   * before sending: the sender also sends invalid notifications, as a test tool must.
   */
  readonly contract?: N;
  /**
   * A shared secret added the way you configured it in impact.com, in the receiver's shape: the
   * same object can be the receiver's `secret` option. The first of `values` is sent, in the
   * `queryParameter` and in the `header`, whichever are named.
   */
  readonly secret?: SecretOptions;
  /** Extra headers (impact.com's optional "HTTP Header" field, facts sheet §4). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Give up after this long. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** A fetch to use instead of globalThis.fetch. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

/** A notification as typed by its contract, or raw text (a POST body byte for byte; a GET query as `toQueryString` says). */
export type SendInput<N extends ContractSelector, D extends Delivery> =
  | (D extends keyof TypesOf<N> ? TypesOf<N>[D] : never)
  | (D extends "GET" ? URLSearchParams | string : string);

export interface SendResult {
  readonly method: Delivery;
  /** The URL the request went to, without its query (it may hold a secret). */
  readonly url: string;
  /** True when a response arrived. */
  readonly delivered: boolean;
  /** The HTTP status, or 0 when no response arrived. */
  readonly status: number;
  /** True for a 2xx: impact.com would not retry. */
  readonly ok: boolean;
  /** From just before the request to the end of the (bounded) response body. */
  readonly durationMs: number;
  readonly contentType: string | undefined;
  /** The first 16 KiB of the response body. */
  readonly body: string;
  /** Why nothing arrived: `timeout` or `connection_failed`, with the cause. */
  readonly error?: { readonly code: "timeout" | "connection_failed"; readonly message: string };
}

export interface NotificationSender<N extends ContractSelector = "documented"> {
  send<D extends Delivery>(delivery: D, notification: SendInput<N, D>): Promise<SendResult>;
}

const MAX_RESPONSE_BYTES = 16 * 1024;
/**
 * Statuses whose Response must have a null body (Fetch standard, "null body status"):
 * `new Response(text, { status })` throws for them, which would turn an answer into a failure.
 */
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
// openapi-fetch builds the request for the contract's path on this placeholder origin; the
// fetch below moves it to the configured URL (impact.com posts to one URL, not to a path tree).
const PLACEHOLDER = "http://contract.invalid";
const CONTRACT_PATH = "/your-configured-path";

/** Network failures become data; anything else is a bug and is rethrown. */
function errorOf(error: unknown): NonNullable<SendResult["error"]> {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return { code: "timeout", message: "no response in time" };
  // undici (Node's fetch) rejects with TypeError("fetch failed", { cause }) when no response arrives.
  if (error instanceof TypeError) {
    const cause = error.cause instanceof Error ? error.cause.message : error.message;
    return { code: "connection_failed", message: cause };
  }
  throw error;
}

/**
 * @example
 *   const sender = createNotificationSender({ baseUrl: "http://127.0.0.1:3000/notifications" });
 *   const result = await sender.send("GET", { campaign_id: "10306", action_id: "1000.4636.158133", payout: "5.00" });
 *   result.status; // 200
 *   result.durationMs; // 3.1
 */
export function createNotificationSender<N extends ContractSelector = "documented">(
  options: NotificationSenderOptions<N>,
): NotificationSender<N> {
  const target = new URL(options.baseUrl);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new TypeError(`baseUrl must be an http(s) URL, got "${target.protocol}".`);
  }
  const secret = options.secret === undefined ? undefined : sentSecret(options.secret);
  if (secret?.queryParameter !== undefined) target.searchParams.append(secret.queryParameter, secret.value);
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const timeoutMs = options.timeoutMs ?? 10_000;
  // openapi-fetch parses error bodies as JSON when it can; keep the text exactly as received.
  const bodies = new WeakMap<Response, string>();

  // openapi-fetch is imported on the first send, not with the package: a receiver that never
  // sends does not pay for loading it at start-up.
  let client: Promise<Client<paths>> | undefined;
  const createClient = async () =>
    (await import("openapi-fetch")).default<paths>({
      baseUrl: PLACEHOLDER,
      redirect: "manual",
      headers: {
        "User-Agent": IMPACT_USER_AGENT,
        "Accept-Encoding": "gzip, br",
        ...(secret?.header !== undefined ? { [secret.header]: secret.value } : {}),
        ...options.headers,
      },
      fetch: async (request) => {
        const placeholder = new URL(request.url);
        const url = joinQuery(target, placeholder.search.slice(1));
        const body = request.method === "GET" ? undefined : await request.text();
        const response = await baseFetch(
          new Request(url, {
            method: request.method,
            headers: request.headers,
            body: body ?? null,
            redirect: "manual",
            signal: request.signal,
          }),
        );
        // Bound the body before openapi-fetch reads it.
        const text = await readBoundedText(response.body, MAX_RESPONSE_BYTES);
        const bounded = new Response(NULL_BODY_STATUSES.has(response.status) ? null : text, {
          status: response.status,
          headers: response.headers,
        });
        bodies.set(bounded, text);
        return bounded;
      },
    });

  return {
    async send(delivery, notification) {
      const started = performance.now();
      const signal = AbortSignal.timeout(timeoutMs);
      const url = `${target.origin}${target.pathname}`;
      try {
        client ??= createClient();
        const openapiFetch = await client;
        const { response } =
          delivery === "GET"
            ? await openapiFetch.GET(CONTRACT_PATH, {
                params: { query: {} },
                querySerializer: () => toQueryString(notification),
                parseAs: "text",
                signal,
              })
            : await openapiFetch.POST(CONTRACT_PATH, {
                body: {},
                bodySerializer: () => (typeof notification === "string" ? notification : JSON.stringify(notification)),
                parseAs: "text",
                signal,
              });
        const body = bodies.get(response) ?? "";
        return {
          method: delivery,
          url,
          delivered: true,
          status: response.status,
          ok: response.status >= 200 && response.status < 300,
          durationMs: performance.now() - started,
          contentType: response.headers.get("content-type") ?? undefined,
          body,
        };
      } catch (error) {
        return {
          method: delivery,
          url,
          delivered: false,
          status: 0,
          ok: false,
          durationMs: performance.now() - started,
          contentType: undefined,
          body: "",
          error: errorOf(error),
        };
      }
    },
  };
}
