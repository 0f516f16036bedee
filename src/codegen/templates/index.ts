export type { FieldMember, FieldShape } from "./field-shape.js";
export { formatLintIssue } from "./format-lint-issue.js";
export type { LintCode, LintIssue, TemplatePosition } from "./lint-issue.js";
export { type LintedTemplate, lintTemplate, type TemplateLintResult } from "./lint-template.js";
export { parseJsonTemplate } from "./parse-json-template.js";
export { parseUrlTemplate } from "./parse-url-template.js";
export { readTemplateContracts, TEMPLATE_FILE, type TemplateContracts } from "./read-template-contracts.js";
export { type MacroDeclaration, readTemplateConfig, type TemplateConfig } from "./template-config.js";
export { templateToOpenApi } from "./template-to-openapi.js";
