import type { MacroFormat, MacroSpec } from "./macro-spec.js";

/**
 * A macro whose name is an inference from the REST object carrying the same data point: the
 * per-event macro tables of these event types could not be read (facts sheet §11, gap 2).
 * Name evidence is therefore I, value evidence D-api.
 */
export function inferredMacro(
  source: string,
  name: string,
  format: MacroFormat,
  meaning: string,
  examples: readonly string[],
  knownValues?: readonly string[],
): MacroSpec {
  return {
    name,
    format,
    meaning,
    sources: [source],
    evidence: { name: ["I"], value: ["D-api"] },
    examples,
    ...(knownValues === undefined ? {} : { knownValues }),
  };
}
