/** Cold start: the bare generated standalone validator alone (the floor of the project's start-up). */
import { receiveEventNotificationPostBody } from "../../generated/documented/validators.mjs";
import { reportFirstVerdict } from "../lib/child-report.js";
import { smallBody } from "../lib/cold-inputs.js";

if (!receiveEventNotificationPostBody(smallBody)) throw new Error("the documented body was refused");
reportFirstVerdict();
