/**
 * openapi/templates/<name>.template.json|yaml → one ContractInput per file, named <name>.
 * Every file is linted first; any error stops generation with every finding of every file, so a
 * partner fixes them in one pass. Two templates on the same method and path are refused too:
 * the runtime picks a contract by route (contractForRoute), and that must be unambiguous.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import type { ContractInput } from "../contracts.js";
import { formatLintIssue } from "./format-lint-issue.js";
import { lintTemplate } from "./lint-template.js";
import { templateToOpenApi } from "./template-to-openapi.js";

export const TEMPLATE_FILE = /^([a-z][a-z0-9-]*)\.template\.(json|ya?ml)$/;

export interface TemplateContracts {
  readonly inputs: ContractInput[];
  /** Formatted warnings, to print. */
  readonly warnings: string[];
}

export function readTemplateContracts(dir: string, root: string): TemplateContracts {
  if (!existsSync(dir)) return { inputs: [], warnings: [] };
  const errors: string[] = [];
  const warnings: string[] = [];
  const inputs: ContractInput[] = [];
  const routes = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const source = relative(root, join(dir, file)).split("\\").join("/");
    const match = TEMPLATE_FILE.exec(file);
    if (match === null) {
      errors.push(
        `✖ ${source} invalid_config: not a template file name.\n    fix: name it <contract>.template.json or <contract>.template.yaml, <contract> in lower case with digits and "-" (it becomes an identifier).`,
      );
      continue;
    }
    const name = match[1] as string;
    let value: unknown;
    try {
      const text = readFileSync(join(dir, file), "utf8");
      value = match[2] === "json" ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true });
    } catch (error) {
      errors.push(
        `✖ ${source} invalid_config: the file cannot be parsed (${error instanceof Error ? error.message.split("\n")[0] : String(error)}).\n    fix: correct the ${match[2]?.toUpperCase()} syntax of the configuration file.`,
      );
      continue;
    }
    const { issues, template } = lintTemplate(value);
    for (const issue of issues) (issue.severity === "error" ? errors : warnings).push(formatLintIssue(source, issue));
    if (template === undefined) continue;
    const route = `${template.delivery} ${template.path}`;
    const other = routes.get(route);
    if (other !== undefined) {
      errors.push(
        `✖ ${source} url duplicate_route: ${route} is also the route of ${other}; the runtime could not tell them apart.\n    fix: give each configured notification its own URL path in impact.com.`,
      );
      continue;
    }
    routes.set(route, source);
    inputs.push({
      name,
      origin: source,
      documents: [{ source, document: templateToOpenApi(name, source, template) }],
      overlays: [],
    });
  }
  if (errors.length > 0) {
    throw new Error(
      `the template lint found ${errors.length} error(s):\n${[...errors, ...warnings].join("\n")}\nFix them, then run \`npm run generate\` again.`,
    );
  }
  return { inputs, warnings };
}
