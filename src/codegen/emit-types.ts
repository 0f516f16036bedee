/**
 * TypeScript types with openapi-typescript. One transform: a string schema with
 * `x-impact-known-values` becomes `"A" | "B" | (string & {})`, so editors suggest the
 * documented values while any other string still type-checks (the value set is open).
 */
import openapiTS, { astToString, STRING, tsIntersection, tsLiteral, tsUnion } from "openapi-typescript";
import ts from "typescript";
import type { OpenApiDocument } from "./contracts.js";

export async function emitTypes(document: OpenApiDocument, header: string): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as never, {
    silent: true,
    alphabetize: false,
    transform(schema) {
      const known = (schema as Record<string, unknown>)["x-impact-known-values"];
      if (!Array.isArray(known)) return undefined;
      const open = tsIntersection([STRING, ts.factory.createTypeLiteralNode([])]);
      return tsUnion([...known.map((v) => tsLiteral(String(v))), open]);
    },
  });
  return `${header}\n${astToString(ast)}`;
}
