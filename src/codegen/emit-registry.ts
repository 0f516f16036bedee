/**
 * generated/index.ts: the registry the runtime reads. For every contract: its operations by
 * delivery (GET query, POST body) with their validators and metadata, and the TypeScript types
 * of a valid notification per delivery, taken from the openapi-typescript output.
 */
import type { RequestSchema } from "./request-schemas.js";

export interface RegistryEntry {
  name: string;
  sources: string[];
  schemas: RequestSchema[];
  /** `x-impact-template` of a contract generated from a partner template (kind, delivery, path, source). */
  template?: unknown;
}

const ident = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The TypeScript type of a valid request of `s`, from the openapi-typescript module imported as `ns`. */
export function typeOf(s: RequestSchema, ns: string): string {
  const op = `${ns}.operations[${JSON.stringify(s.operationId)}]`;
  if (s.in === "query") return `NonNullable<${op}["parameters"]["query"]>`;
  const media = s.mediaTypes[0] ?? "application/json";
  return `NonNullable<${op}["requestBody"]>["content"][${JSON.stringify(media)}]`;
}

export function emitRegistry(entries: RegistryEntry[], header: string): string {
  const lines = [header, 'import type { ContractRuntime } from "../src/contract.js";'];
  for (const e of entries) {
    lines.push(`import * as ${ident(e.name)}Validators from "./${e.name}/validators.mjs";`);
    lines.push(`import type * as ${ident(e.name)}Types from "./${e.name}/types.js";`);
  }
  lines.push("");
  for (const e of entries) lines.push(`export type { ${ident(e.name)}Types };`);
  lines.push(
    "",
    "/** The type of a valid notification, per contract and delivery. */",
    "export interface ContractTypes {",
  );
  for (const e of entries) {
    lines.push(`  ${JSON.stringify(e.name)}: {`);
    for (const s of e.schemas) lines.push(`    ${s.delivery}: ${typeOf(s, `${ident(e.name)}Types`)};`);
    lines.push("  };");
  }
  lines.push("}", "", "export const contracts = {");
  for (const e of entries) {
    const v = `${ident(e.name)}Validators`;
    lines.push(`  ${JSON.stringify(e.name)}: {`);
    lines.push(`    name: ${JSON.stringify(e.name)},`);
    lines.push(`    sources: ${JSON.stringify(e.sources)},`);
    if (e.template !== undefined) lines.push(`    template: ${JSON.stringify(e.template)},`);
    lines.push("    operations: {");
    for (const s of e.schemas) {
      lines.push(`      ${s.delivery}: {`);
      lines.push(`        operationId: ${JSON.stringify(s.operationId)},`);
      lines.push(`        path: ${JSON.stringify(s.path)},`);
      lines.push(`        in: ${JSON.stringify(s.in)},`);
      lines.push(`        mediaTypes: ${JSON.stringify(s.mediaTypes)},`);
      lines.push(`        parameters: ${JSON.stringify(s.parameters)},`);
      lines.push(`        knownValues: ${JSON.stringify(s.knownValues)},`);
      lines.push(`        validate: ${v}.${s.exportName},`);
      lines.push(`        validateAllErrors: ${v}.${s.exportName}AllErrors,`);
      lines.push("      },");
    }
    lines.push("    },", "  },");
  }
  lines.push("} as const satisfies Record<string, ContractRuntime>;", "");
  lines.push("export type ContractName = keyof typeof contracts;", "");
  return lines.join("\n");
}
