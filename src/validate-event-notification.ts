import type { ContractName, ContractTypes } from "../generated/index.js";
import type { ContractRuntime, Delivery } from "./contract.js";
import { EventNotificationError } from "./errors/event-notification-error.js";
import { forbiddenKeyProblem, type NotificationIssue, type NotificationProblem, problem } from "./errors/problem.js";
import { paramsToRecord, type QueryRecord, queryString, recordToQuery } from "./input/query-record.js";
import { pointerSegment } from "./pointer.js";
import { type ContractSelector, type NameOf, resolveContract, type TypesOf } from "./select-contract.js";
import { validateOperation } from "./validate/validate-operation.js";
import { parameterFailure } from "./verify/decode-body.js";
import { decodeParameters } from "./verify/decode-parameters.js";

export type { ContractName, ContractTypes };

export interface ValidateOptions<N extends ContractSelector = "documented"> {
  /**
   * Which contract to check against: a built-in one by name (default "documented"), or a contract
   * object, e.g. one of the `contracts` generated into your project
   * (`npx impact-event-notifications generate`) or one `compileTemplate` returned.
   */
  readonly contract?: N;
  /**
   * How the notification was delivered. Strings, URL and URLSearchParams are GET queries; a
   * plain object is a decoded POST body unless you say "GET" (e.g. for Express's `req.query`).
   */
  readonly delivery?: Delivery;
  /** Report every issue instead of the first. For tooling: costs more on large hostile input. */
  readonly allErrors?: boolean;
}

/**
 * A notification that matches its contract. `notices` lists accepted-but-unusual values.
 * Distributes over `N`: template contracts may describe only GET or only POST, and for a union
 * of contracts `keyof ContractTypes[N]` would be only the deliveries they share.
 */
export type ValidationSuccess<
  N extends ContractSelector = "documented",
  D extends Delivery = Delivery,
> = N extends ContractSelector
  ? {
      [K in D & keyof TypesOf<N>]: {
        readonly ok: true;
        /** The name of the contract the notification matched: discriminates results when routing. */
        readonly contract: NameOf<N>;
        readonly delivery: K;
        readonly notification: TypesOf<N>[K];
        readonly notices: readonly NotificationIssue[];
      };
    }[D & keyof TypesOf<N>]
  : never;

export interface ValidationFailure {
  readonly ok: false;
  readonly error: NotificationProblem;
}

export type ValidationResult<N extends ContractSelector = "documented", D extends Delivery = Delivery> =
  | ValidationSuccess<N, D>
  | ValidationFailure;

function failure(error: NotificationProblem): ValidationFailure {
  return { ok: false, error };
}

const REPLACEMENT = "\uFFFD";

function toQuery(input: unknown): QueryRecord | NotificationProblem {
  if (typeof input === "string") {
    // The same WHATWG decoder as the HTTP path: bytes that are not UTF-8 are refused, never
    // turned into U+FFFD as URLSearchParams would (src/verify/decode-parameters.ts).
    const decoded = decodeParameters(queryString(input), Number.POSITIVE_INFINITY);
    return "error" in decoded ? parameterFailure(decoded, "query string", Number.POSITIVE_INFINITY).error : decoded;
  }
  // A URL still holds its query as received (percent-encoded): the same decoder reads it.
  if (input instanceof URL) return toQuery(input.search);
  if (input instanceof URLSearchParams) {
    // Already decoded by the platform, which turned bytes that are not UTF-8 into U+FFFD and
    // dropped the bytes themselves. A U+FFFD is refused as the raw query's bytes would be, so
    // the two forms of one query get one verdict (a U+FFFD really sent, as %EF%BF%BD, is only
    // accepted from the string or URL form).
    for (const [key, value] of input) {
      if (key.includes(REPLACEMENT) || value.includes(REPLACEMENT)) {
        return problem(
          "invalid_utf8",
          "The query has bytes that are not UTF-8 (URLSearchParams shows them as U+FFFD). Pass the raw query string to see where.",
          [
            {
              path: key.includes(REPLACEMENT) ? "" : `/${pointerSegment(key)}`,
              code: "invalid_utf8",
              message: "is not valid UTF-8 once percent-decoded",
            },
          ],
        );
      }
    }
    const result = paramsToRecord(input);
    return "forbidden" in result ? forbiddenKeyProblem("query string", result.forbidden) : result;
  }
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    return recordToQuery(input as Record<string, unknown>);
  }
  return problem(
    "invalid_input",
    "A GET notification must be given as URLSearchParams, a URL, a query string or a record of query values.",
  );
}

/**
 * Checks a notification your service has already decoded against its generated contract.
 * Synchronous, never throws for data (what JSON.parse or a query parser produces; a getter or Proxy
 * of your own that throws is not caught), never coerces, never modifies the input: on success the
 * returned `notification` is the input object itself (a query string or URLSearchParams becomes a
 * new record); unknown extra keys are preserved. Throws TypeError only for a `contract` that is
 * neither a built-in name nor a contract object.
 *
 * @example
 *   const result = validateEventNotification(req.body);                     // POST (express.json())
 *   const result = validateEventNotification(req.query, { delivery: "GET" }); // GET (Express)
 *   const result = validateEventNotification(new URL(req.url).searchParams);  // GET
 *   const result = validateEventNotification(query, { contract: contracts.me }); // your template
 */
export function validateEventNotification<N extends ContractSelector = "documented">(
  input: URLSearchParams | URL | string,
  options?: ValidateOptions<N> & { readonly delivery?: "GET" },
): ValidationResult<N, "GET">;
export function validateEventNotification<N extends ContractSelector = "documented", D extends Delivery = Delivery>(
  input: unknown,
  options: ValidateOptions<N> & { readonly delivery: D },
): ValidationResult<N, D>;
export function validateEventNotification<N extends ContractSelector = "documented">(
  input: unknown,
  options?: ValidateOptions<N>,
): ValidationResult<N>;
export function validateEventNotification(
  input: unknown,
  options?: ValidateOptions<ContractSelector>,
): ValidationResult<ContractSelector> {
  const contract: ContractRuntime = resolveContract(options?.contract ?? "documented");
  const name = contract.name;
  const isQuery = input instanceof URLSearchParams || input instanceof URL || typeof input === "string";
  const delivery: Delivery = options?.delivery ?? (isQuery ? "GET" : "POST");
  const operation = contract.operations[delivery];
  if (operation === undefined) {
    return failure(problem("unsupported_delivery", `Contract "${name}" describes no ${delivery} notification.`));
  }
  if (delivery === "POST" && isQuery) {
    return failure(
      problem(
        "invalid_input",
        typeof input === "string"
          ? "A POST body must be decoded before validation: parse it with JSON.parse (or express.json()), or pass the whole request to verifyRequest."
          : "A POST notification must be a decoded body object, not a query.",
      ),
    );
  }
  const allErrors = options?.allErrors === true;
  if (delivery === "GET") {
    const query = toQuery(input);
    if ("code" in query) return failure(query);
    return validateOperation(operation, contract, "GET", query.record, allErrors, query.repeated, false);
  }
  return validateOperation(operation, contract, "POST", input, allErrors, undefined, false);
}

/** Like `validateEventNotification`, but returns the success and throws `EventNotificationError`. */
export function parseEventNotification<N extends ContractSelector = "documented">(
  input: URLSearchParams | URL | string,
  options?: ValidateOptions<N> & { readonly delivery?: "GET" },
): ValidationSuccess<N, "GET">;
export function parseEventNotification<N extends ContractSelector = "documented", D extends Delivery = Delivery>(
  input: unknown,
  options: ValidateOptions<N> & { readonly delivery: D },
): ValidationSuccess<N, D>;
export function parseEventNotification<N extends ContractSelector = "documented">(
  input: unknown,
  options?: ValidateOptions<N>,
): ValidationSuccess<N>;
export function parseEventNotification(
  input: unknown,
  options?: ValidateOptions<ContractSelector>,
): ValidationSuccess<ContractSelector> {
  const result = validateEventNotification(input, options);
  if (!result.ok) throw new EventNotificationError(result.error);
  return result;
}
