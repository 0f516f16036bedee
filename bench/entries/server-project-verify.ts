/** This package's Node adapter at its thinnest: verifyNodeRequest + sendNodeResult, no handler step. */
import { createServer } from "node:http";
import { sendNodeResult, verifyNodeRequest } from "../../src/adapters/node.js";
import { serve } from "../lib/serve.js";

serve(
  createServer((req, res) => {
    verifyNodeRequest(req).then((result) => sendNodeResult(res, result));
  }),
);
