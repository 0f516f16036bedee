/** The load generator: one bounded autocannon run in this fresh process, reported to the parent (bench/lib/load.ts). */
import { childOptions, report } from "../lib/child-report.js";
import { type LoadSpec, runLoad } from "../lib/load.js";

report(await runLoad(childOptions<LoadSpec>()));
