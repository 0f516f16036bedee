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
}

export interface ContractRuntime {
  readonly name: string;
  readonly sources: readonly string[];
  /** Present for contracts generated from a template; absent for openapi/<name>/ folders. */
  readonly template?: TemplateRuntime;
  readonly operations: Partial<Record<Delivery, OperationRuntime>>;
}
