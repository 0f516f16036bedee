/** Cold start baseline: an entry that does nothing but report (compare with `node -e 0`). */
import { report } from "../lib/child-report.js";

report({ ms: performance.now() });
