/** Cold start baseline: an entry that does nothing but report (compare with `node -e 0`). */
import { reportFirstVerdict } from "../lib/child-report.js";

reportFirstVerdict();
