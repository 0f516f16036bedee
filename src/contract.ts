/** The shape of a generated contract as the runtime reads it (see generated/index.ts). */
export type Delivery = "GET" | "POST";

export interface ValidatorIssue {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** A precompiled ajv standalone validator. */
export interface GeneratedValidator {
  (data: unknown): boolean;
  errors?: ValidatorIssue[] | null;
}

export interface OperationRuntime {
  readonly operationId: string;
  readonly path: string;
  readonly in: "query" | "body";
  readonly mediaTypes: readonly string[];
  readonly parameters: readonly { readonly name: string; readonly required: boolean; readonly array: boolean }[];
  readonly knownValues: readonly { readonly path: string; readonly values: readonly string[] }[];
  readonly validate: GeneratedValidator;
  readonly validateAllErrors: GeneratedValidator;
}

/** Where a contract generated from a partner template is delivered (openapi/templates/). */
export interface TemplateRuntime {
  /** Event kind, e.g. "action_lifecycle" (see src/macros/event-kinds.ts). */
  readonly kind: string;
  readonly delivery: Delivery;
  /** Path of the URL configured in impact.com. */
  readonly path: string;
  /** The template configuration file. */
  readonly source: string;
  /** The top-level key the template maps `{ActionId}` to, if any: the inbox orders by it. */
  readonly actionIdField?: string;
}

export interface ContractRuntime {
  readonly name: string;
  readonly sources: readonly string[];
  /** Present for contracts generated from a template; absent for openapi/<name>/ folders. */
  readonly template?: TemplateRuntime | undefined;
  readonly operations: Partial<Record<Delivery, OperationRuntime>>;
}

/** The type of a valid notification per delivery a contract describes, e.g. `{ GET: { payout: string } }`. */
export type NotificationTypes = { readonly GET?: unknown; readonly POST?: unknown };

/**
 * A contract as a value: what `impact-event-notifications generate` writes into your project
 * (`import { contracts } from "./impact-contracts/index.js"`) and what `compileTemplate` returns.
 * Pass one as the `contract` option of any entry point (or a registry of them as `contracts`), and
 * the notification's type is inferred from it, as openapi-fetch infers from `paths`.
 * `Types` exists for the type checker only: no contract carries it at run time.
 */
export interface Contract<
  Name extends string = string,
  Types extends NotificationTypes = NotificationTypes,
  Template extends TemplateRuntime | undefined = TemplateRuntime | undefined,
> extends ContractRuntime {
  readonly name: Name;
  readonly template?: Template;
  /** Type-only (never present at run time): the notification type per delivery. */
  readonly "~types"?: Types;
}

/** Contracts by name, as generated into your project's `index.js` (`contracts`). */
export type ContractRegistry<C extends Contract = Contract> = { readonly [name: string]: C };
