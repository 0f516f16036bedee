import { readFileSync } from "node:fs";
import type { ContractDocument } from "../testing/index.js";
import { contractDocumentPath } from "./package-root.js";

/** The bundled OpenAPI document of a contract (generated/<contract>/openapi.json). */
export function loadContractDocument(contract: string): ContractDocument {
  return JSON.parse(readFileSync(contractDocumentPath(contract), "utf8")) as ContractDocument;
}
