/** Cold start: ajv compiling the contract's body schema at run time, then validating. */
import { reportFirstVerdict } from "../lib/child-report.js";
import { smallBody } from "../lib/cold-inputs.js";
import { compileAjvValidators } from "../peers/ajv-runtime.js";
import { readContractDocument } from "../peers/contract-document.js";

if (!compileAjvValidators(readContractDocument()).post(smallBody)) throw new Error("the documented body was refused");
reportFirstVerdict();
