/**
 * Template scale, run time: validateEventNotification and the bare generated validator on
 * synthetic template contracts. bench/suites/template-scale.ts bundles this entry once per
 * scenario, with `generated/index.js` redirected to that scenario's freshly generated registry.
 */
import { contracts } from "../../generated/index.js";
import type { ContractRuntime } from "../../src/contract.js";
import { validateEventNotification } from "../../src/validate-event-notification.js";
import { childOptions, report, reportFirstVerdict } from "../lib/child-report.js";
import { type BenchCase, consume, type MeasureOptions, measureGroup, syncBatch } from "../lib/measure.js";

interface Options {
  readonly cold: boolean;
  readonly measure: MeasureOptions;
  readonly cases: readonly { readonly contract: string; readonly body: Record<string, string> }[];
}

const options = childOptions<Options>();
const registry = contracts as unknown as Record<string, ContractRuntime>;
const validate = (contract: string, body: object) =>
  validateEventNotification(body, { contract: contract as never, delivery: "POST" });

for (const c of options.cases) {
  const result = validate(c.contract, c.body);
  if (!result.ok) throw new Error(`${c.contract}: the synthetic body was refused: ${JSON.stringify(result.error)}`);
}
/** Calls timed right after the first, before V8 has optimized anything (the first-calls column). */
const FIRST_CALLS = 1_000;

if (options.cold) {
  reportFirstVerdict();
} else {
  const out: {
    contract: string;
    firstNs: number;
    bareNs: number[];
    projectNs: number[];
    ratio: number | undefined;
  }[] = [];
  for (const c of options.cases) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < FIRST_CALLS; i++) consume(validate(c.contract, c.body));
    const firstNs = Number(process.hrtime.bigint() - start) / FIRST_CALLS;
    const bare = registry[c.contract]?.operations.POST?.validate;
    if (bare === undefined) throw new Error(`${c.contract} has no POST validator`);
    const cases: BenchCase[] = [
      { name: "bare", role: "floor", batch: syncBatch(() => bare(c.body)) },
      { name: "validateEventNotification", role: "project", batch: syncBatch(() => validate(c.contract, c.body)) },
    ];
    const [floor, project] = await measureGroup(cases, options.measure);
    out.push({
      contract: c.contract,
      firstNs,
      bareNs: [...(floor?.samples ?? [])],
      projectNs: [...(project?.samples ?? [])],
      ratio: project?.ratioToFloor,
    });
  }
  report(out);
}
