/** What each part of the benchmark hands to BENCHMARKS.md. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
  /** By how much it is missed, why it could not be measured, or how settled a met target is. */
  readonly note?: string;
}

export interface Section {
  readonly title: string;
  readonly markdown: string;
  readonly targets: readonly TargetCheck[];
}

export interface SuiteContext {
  readonly root: string;
  readonly mode: import("./modes.js").Mode;
  readonly entries: import("./build-entries.js").BuiltEntries;
  /** `--servers`: the HTTP servers to measure (ids from `SERVER_IDS`); all when undefined. */
  readonly servers?: readonly string[];
}
