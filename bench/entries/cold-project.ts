/** Cold start: this package's public entry, first validated notification. */
import { validateEventNotification } from "../../src/index.js";
import { reportFirstVerdict } from "../lib/child-report.js";
import { smallBody } from "../lib/cold-inputs.js";

if (!validateEventNotification(smallBody).ok) throw new Error("the documented body was refused");
reportFirstVerdict();
