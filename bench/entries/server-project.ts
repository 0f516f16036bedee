/** This package's Node adapter, as a user wires it: createNodeHandler with a handler that resolves. */
import { createServer } from "node:http";
import { createNodeHandler } from "../../src/adapters/node.js";
import { serve } from "../lib/serve.js";

serve(createServer(createNodeHandler(() => undefined)));
