/**
 * `impact-event-notifications/compile`: a contract from a template configuration at run time,
 * for templates kept in a database rather than in files. Node only.
 *
 *   const contract = compileTemplate(row.template, { name: `partner-${row.id}` });
 *   verifyRequest(request, { contract });
 *
 * The same steps as `impact-event-notifications generate`, with the same code: the template lint,
 * template → OpenAPI, bundling (value grammars expanded), request schemas; then ajv compiles the
 * schemas here, with the options and keywords the generator precompiles with (ajv-options.ts), so
 * a compiled contract gives the verdicts and errors of a generated one. Compiling uses
 * `new Function` (no strict CSP), and costs milliseconds: compile once per template, not per
 * request. Loads ajv and ajv-formats; never openapi-typescript, typescript, esbuild or yaml.
 */
import { createRequestAjv, requestSchemaId } from "../codegen/ajv-options.js";
import { bundleContract } from "../codegen/bundle-contract.js";
import { type RequestSchema, requestSchemas } from "../codegen/request-schemas.js";
import { formatLintIssue } from "../codegen/templates/format-lint-issue.js";
import type { LintIssue } from "../codegen/templates/lint-issue.js";
import { lintTemplate } from "../codegen/templates/lint-template.js";
import type { TemplateConfig } from "../codegen/templates/template-config.js";
import { templateToOpenApi } from "../codegen/templates/template-to-openapi.js";
import type { Contract, GeneratedValidator, OperationRuntime, TemplateRuntime } from "../contract.js";

export type { LintCode, LintIssue, TemplatePosition } from "../codegen/templates/lint-issue.js";
export { lintTemplate, type TemplateLintResult } from "../codegen/templates/lint-template.js";
export type { MacroDeclaration, TemplateConfig } from "../codegen/templates/template-config.js";
export { formatLintIssue };

/** What `compileTemplate` names as the source of a compiled contract (`sources`, `template.source`). */
export const COMPILED_SOURCE = "compileTemplate";

/** The template lint found errors: nothing was compiled. `issues` holds every finding, errors first. */
export class TemplateLintError extends Error {
  override readonly name = "TemplateLintError";
  readonly issues: readonly LintIssue[];

  constructor(name: string, issues: readonly LintIssue[]) {
    const errors = issues.filter((i) => i.severity === "error").length;
    super(
      `template "${name}": the template lint found ${errors} error(s):\n${issues.map((i) => formatLintIssue(name, i)).join("\n")}`,
    );
    this.issues = issues;
  }
}

export interface CompileTemplateOptions<Name extends string = string> {
  /** The contract's name (in results, problems and routes); default "template". */
  readonly name?: Name;
  /** Called with every lint warning (the template compiles; it is probably not what was meant). */
  readonly onWarning?: (issue: LintIssue, formatted: string) => void;
}

/** The notification type per delivery of a compiled template: every GET value is a string. */
export type CompiledTypes<Config = unknown> = 0 extends 1 & Config
  ? AnyDelivery
  : [Config] extends [{ readonly method: "GET" }]
    ? { readonly GET: Record<string, string> }
    : [Config] extends [{ readonly method: "POST" }]
      ? { readonly POST: Record<string, unknown> }
      : AnyDelivery;

type AnyDelivery = { readonly GET?: Record<string, string>; readonly POST?: Record<string, unknown> };

/** The operations a compiled template certainly has: GET or POST, as its `method` says. */
export type CompiledOperations<Config = unknown> = 0 extends 1 & Config
  ? unknown
  : [Config] extends [{ readonly method: "GET" }]
    ? { readonly GET: OperationRuntime }
    : [Config] extends [{ readonly method: "POST" }]
      ? { readonly POST: OperationRuntime }
      : unknown;

/** What compileTemplate returns: a contract value, as the generator writes into index.js. */
export type CompiledContract<Name extends string = string, Config = unknown> = Contract<
  Name,
  CompiledTypes<Config>,
  TemplateRuntime
> & { readonly template: TemplateRuntime; readonly operations: CompiledOperations<Config> };

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

function validators(name: string, schemas: readonly RequestSchema[], allErrors: boolean, suffix: string) {
  const ajv = createRequestAjv(schemas, { allErrors });
  const ids = schemas.map((s) => {
    const id = requestSchemaId(name, `${s.exportName}${suffix}`);
    ajv.addSchema({ ...s.schema, $id: id });
    return id;
  });
  return ids.map((id) => ajv.getSchema(id) as unknown as GeneratedValidator);
}

/**
 * Lints `config` (the shape of a `<name>.template.json` file: kind, method, url, body, …) and
 * compiles it into a contract object for the `contract` option (or a `contracts` registry).
 * Throws TemplateLintError when the lint finds an error.
 */
export function compileTemplate<
  const Name extends string = "template",
  const Config extends TemplateConfig = TemplateConfig,
>(config: Config, options?: CompileTemplateOptions<Name>): CompiledContract<Name, Config>;
export function compileTemplate<const Name extends string = "template">(
  config: unknown,
  options?: CompileTemplateOptions<Name>,
): CompiledContract<Name>;
export function compileTemplate(config: unknown, options: CompileTemplateOptions = {}): CompiledContract {
  const name = options.name ?? "template";
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError(
      `compileTemplate: options.name must be 1 to 128 letters, digits, "_", "." or "-" (starting with a letter or digit); got ${JSON.stringify(name)}`,
    );
  }
  const { issues, template } = lintTemplate(config);
  if (template === undefined) throw new TemplateLintError(name, issues);
  for (const issue of issues) options.onWarning?.(issue, formatLintIssue(name, issue));

  const document = templateToOpenApi(name, COMPILED_SOURCE, template);
  const contract = bundleContract({
    name,
    origin: COMPILED_SOURCE,
    documents: [{ source: COMPILED_SOURCE, document }],
    overlays: [],
  });
  const schemas = requestSchemas(contract);
  const first = validators(name, schemas, false, "");
  const all = validators(name, schemas, true, "AllErrors");
  const operations: Partial<Record<"GET" | "POST", OperationRuntime>> = {};
  schemas.forEach((s, i) => {
    operations[s.delivery] = {
      operationId: s.operationId,
      path: s.path,
      in: s.in,
      mediaTypes: s.mediaTypes,
      parameters: s.parameters,
      knownValues: s.knownValues,
      validate: first[i] as GeneratedValidator,
      validateAllErrors: all[i] as GeneratedValidator,
    };
  });
  return {
    name,
    sources: [COMPILED_SOURCE],
    template: contract.document["x-impact-template"] as TemplateRuntime,
    operations,
  };
}
