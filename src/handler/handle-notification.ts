import type { Delivery } from "../contract.js";
import type { NotificationIssue } from "../errors/problem.js";
import type { ContractSelector, NameOf } from "../select-contract.js";
import type { ValidationSuccess } from "../validate-event-notification.js";
import { fail, type VerifyResult } from "../verify/verify-result.js";
import {
  type NotificationKeyOptions,
  notificationKey,
  notificationKeySync,
  syncKeyAvailable,
} from "./notification-key.js";

/** What a handler learns besides the notification. */
export interface NotificationContext<Name extends string = string> {
  /** The name of the contract that matched; differs per route when the verifier routes (`contracts`, `byRoute`). */
  readonly contract: Name;
  readonly delivery: Delivery;
  /** Accepted-but-unusual values (e.g. an undocumented Status), from validation. */
  readonly notices: readonly NotificationIssue[];
  /** De-duplication key, see `notificationKey`. */
  readonly key: string;
  /**
   * Aborted when the answer can no longer acknowledge this delivery: the handler timed out (503),
   * or the client closed the connection before the answer was sent (Node, Express, Fastify; Fetch
   * runtimes that abort the Request's own signal). `signal.reason` says which. Pass it to
   * fetch/database calls so they stop too.
   * Work a handler commits after the signal aborted will be retried by impact.com: the delivery
   * was not acknowledged, so the same notification comes again. Make that work idempotent, keyed
   * by `key` (e.g. a unique index on it), rather than relying on the abort to stop it in time.
   */
  readonly signal: AbortSignal;
}

/** Your code. Resolve to acknowledge (2xx); throw or reject to make impact.com retry (5xx). */
export type OnNotification<N extends ContractSelector = "documented"> = (
  notification: ValidationSuccess<N>["notification"],
  context: NotificationContext<NameOf<N>>,
) => unknown;

/** Default handler time limit: impact.com's own timeout is undocumented (facts §5); 10 s is well under common webhook sender timeouts and far above a database write. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;

export interface HandlerOptions {
  /**
   * Milliseconds before a pending handler is answered 503 (and its signal aborted). Default 10 000;
   * `Infinity` for no limit. Checked when the handler is created (1 to 2^31 − 1, or Infinity).
   */
  readonly timeoutMs?: number;
  /** Which fields make the de-duplication key (default: all). */
  readonly keyFields?: NotificationKeyOptions["fields"];
  /** Called with the handler's error or the timeout, for your logs. Never sent to the client. */
  readonly onError?: (error: unknown, context: NotificationContext) => void;
}

const ALL_FIELDS: NotificationKeyOptions = {};

/** The key's options, made only when a key is computed (most handlers never read it). */
function keyOptionsOf(options: HandlerOptions): NotificationKeyOptions {
  return options.keyFields === undefined ? ALL_FIELDS : { fields: options.keyFields };
}

const NO_SYNC_KEY =
  "context.key needs SHA-256, and this runtime's process.getBuiltinModule gave no node:crypto; " +
  "await notificationKey(notification) (WebCrypto) in the handler instead.";

class Timeout extends Error {
  override readonly name = "HandlerTimeout";
}

/** `context.signal`'s reason when the client went away before its answer. */
class Disconnected extends Error {
  override readonly name = "ClientDisconnected";
}

const DISCONNECTED =
  "the client closed the connection before the answer was sent; the delivery is not acknowledged and impact.com will retry it";

/** The part of a Node `ServerResponse` that tells whether its client left before the answer. */
interface NodeResponseLike {
  readonly writableFinished: boolean;
  readonly destroyed: boolean;
  once(event: "close", listener: () => void): unknown;
}

/**
 * Where an adapter learns that the client went away before its answer: the Fetch `Request` (its
 * own `signal`, aborted by runtimes that notice a disconnect; anything with a `signal` will do),
 * or a Node `ServerResponse` (closed before it finished). Consulted only if the handler reads
 * `context.signal`: not even the Request's `signal` is read before (some runtimes make it on
 * first read).
 */
export type ClientConnection = NodeResponseLike | { readonly signal: AbortSignal };

/** Calls `abort` once `client` has gone away before its answer; at once if it already has. */
function watchClient(client: ClientConnection, abort: (reason: unknown) => void): void {
  if ("writableFinished" in client) {
    const gone = () => {
      if (!client.writableFinished) abort(new Disconnected(DISCONNECTED));
    };
    if (client.destroyed) gone();
    else client.once("close", gone);
    return;
  }
  const signal = client.signal;
  const gone = () => abort(new Disconnected(DISCONNECTED, { cause: signal.reason }));
  if (signal.aborted) gone();
  else signal.addEventListener("abort", gone, { once: true });
}

/**
 * The context handed to `onNotification`. A class, so that a request costs one small object:
 * the key (a SHA-256) and the AbortController are made only if the handler reads them, and the
 * client's connection is watched only from then on (a handler that never reads `signal` adds no
 * listener to it).
 */
class Context implements NotificationContext {
  readonly #notification: unknown;
  readonly #options: HandlerOptions;
  readonly #client: ClientConnection | undefined;
  #key: string | undefined;
  #controller: AbortController | undefined;
  /**
   * Set once the time limit passed (or, with the signal watched, the client left), so a signal
   * first read afterwards is already aborted; a client that left unwatched is seen by `watchClient`.
   */
  #abortReason: unknown;

  constructor(
    readonly contract: string,
    readonly delivery: Delivery,
    readonly notices: readonly NotificationIssue[],
    notification: unknown,
    options: HandlerOptions,
    key: string | undefined,
    client: ClientConnection | undefined,
  ) {
    this.#notification = notification;
    this.#options = options;
    this.#key = key;
    this.#client = client;
  }

  get key(): string {
    if (this.#key === undefined) {
      const key = notificationKeySync(this.#notification, keyOptionsOf(this.#options));
      // Never a stand-in such as "": every notification would then look like a repeat of the first.
      // Thrown from the handler's read, so the delivery is answered 500 and retried, not lost.
      if (key === undefined) throw new Error(NO_SYNC_KEY);
      this.#key = key;
    }
    return this.#key;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#abortReason !== undefined) this.#controller.abort(this.#abortReason);
      else if (this.#client !== undefined) watchClient(this.#client, (reason) => Context.abort(this, reason));
    }
    return this.#controller.signal;
  }

  /** Static, so the handler's context shows no `abort` of its own. The first reason stays. */
  static abort(context: Context, reason: unknown): void {
    if (context.#abortReason !== undefined) return;
    context.#abortReason = reason;
    context.#controller?.abort(reason);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

function handlerFailed<N extends ContractSelector>(
  error: unknown,
  context: Context,
  options: HandlerOptions,
  timeoutMs: number,
): VerifyResult<N> {
  const timedOut = error instanceof Timeout;
  if (timedOut) Context.abort(context, error);
  try {
    options.onError?.(error, context);
  } catch {
    // A failing logger must not change the answer.
  }
  return timedOut
    ? fail("handler_timeout", `The notification handler did not finish within ${timeoutMs} ms; impact.com will retry.`)
    : fail("handler_failed", "The notification handler failed; impact.com will retry. See your server logs.");
}

async function settleHandler<N extends ContractSelector>(
  verdict: VerifyResult<N>,
  returned: PromiseLike<unknown>,
  context: Context,
  options: HandlerOptions,
  timeoutMs: number,
): Promise<VerifyResult<N>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await (timeoutMs === Number.POSITIVE_INFINITY
      ? returned
      : Promise.race([
          returned,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Timeout(`handler did not settle within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]));
    return verdict;
  } catch (error) {
    return handlerFailed<N>(error, context, options, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The handler's run once the key is known or left to compute on read: a handler that returns
 * anything but a promise is done, so its verdict comes back at once (no timer, no promise, no
 * microtask); a promise gets the time limit and a promise of the verdict.
 */
export function runNotificationHandler<N extends ContractSelector = "documented">(
  result: VerifyResult<N>,
  onNotification: OnNotification<N>,
  options: HandlerOptions = {},
  client?: ClientConnection,
  key?: string,
): VerifyResult<N> | Promise<VerifyResult<N>> {
  // Kept before narrowing: TypeScript cannot re-widen a narrowed generic mapped union.
  const verdict = result;
  if (!result.ok) return result;
  const context = new Context(
    result.contract,
    result.delivery,
    result.notices,
    result.notification,
    options,
    key,
    client,
  );
  const timeoutMs = options.timeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  let returned: unknown;
  try {
    returned = (onNotification as (n: unknown, c: NotificationContext) => unknown)(result.notification, context);
  } catch (error) {
    return handlerFailed<N>(error, context, options, timeoutMs);
  }
  if (!isThenable(returned)) return verdict;
  return settleHandler(verdict, returned, context, options, timeoutMs);
}

/**
 * The one path from a verdict to the answer with a handler: every adapter's handler (through
 * `handleThenSend`) and `handleNotification` come here. With node:crypto the key is computed only
 * if the handler reads it, and a handler that returns no promise is answered at once (no promise,
 * no microtask); elsewhere (WebCrypto is asynchronous) the key is computed before the handler runs.
 */
export function handleVerdict<N extends ContractSelector>(
  result: VerifyResult<N>,
  onNotification: OnNotification<N>,
  options: HandlerOptions,
  client: ClientConnection | undefined,
): VerifyResult<N> | Promise<VerifyResult<N>> {
  if (!result.ok || syncKeyAvailable) return runNotificationHandler(result, onNotification, options, client);
  return notificationKey(result.notification, keyOptionsOf(options)).then((key) =>
    runNotificationHandler(result, onNotification, options, client, key),
  );
}

/**
 * Runs `onNotification` for a verified notification and turns the outcome into the verdict to
 * send: the success itself only after the handler's promise resolves; `handler_failed` (500) if it
 * throws or rejects; `handler_timeout` (503) if it has not settled within `timeoutMs`. Any non-2xx
 * makes impact.com retry (facts §5), so nothing is acknowledged before it is safely handled.
 * Failures pass through untouched. `client` (the Fetch `Request`, or a Node `ServerResponse`)
 * also aborts `context.signal` when the client goes away before the answer.
 */
export async function handleNotification<N extends ContractSelector = "documented">(
  result: VerifyResult<N>,
  onNotification: OnNotification<N>,
  options: HandlerOptions = {},
  client?: ClientConnection,
): Promise<VerifyResult<N>> {
  return handleVerdict(result, onNotification, options, client);
}
