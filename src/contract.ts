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

export interface ContractRuntime {
  readonly name: string;
  readonly sources: readonly string[];
  readonly operations: Partial<Record<Delivery, OperationRuntime>>;
}
