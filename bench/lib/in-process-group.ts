/** One table of the in-process report: cases sharing one input, with their floor. */
import type { CaseResult } from "./measure.js";

export interface GroupResult {
  readonly suite: "validate" | "verify";
  readonly name: string;
  /** What the floor does, for the table caption. */
  readonly floor: string;
  readonly cases: readonly CaseResult[];
}
