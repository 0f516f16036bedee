import type { BaseValueFormatName } from "../formats.js";

/**
 * Evidence levels of docs/sources.md §0: D documented, D-api documented for the REST
 * object with the same data point, O observed in a captured request, T third party, I inference.
 */
export type Evidence = "D" | "D-api" | "O" | "T" | "I";

/** How a value is checked: one of the grammars of src/formats.ts, an open enum, or free text. */
export type MacroFormat = BaseValueFormatName | "openEnum" | "text";

/** One `{Macro}` placeholder impact.com fills in, with where that knowledge comes from. */
export interface MacroSpec {
  /** The name between the braces, case-sensitive: `Payout` for `{Payout}`. */
  readonly name: string;
  readonly format: MacroFormat;
  /** What the value means, in one line; shown in generated contracts and docs. */
  readonly meaning: string;
  /** Fact sheet source ids, e.g. ["S8", "S16"]. */
  readonly sources: readonly string[];
  /** How the macro name is known, and how its value format is known (best level first). */
  readonly evidence: { readonly name: readonly Evidence[]; readonly value: readonly Evidence[] };
  readonly examples: readonly string[];
  /** Open enums: the values known so far. Others are accepted and reported as notices. */
  readonly knownValues?: readonly string[];
}
