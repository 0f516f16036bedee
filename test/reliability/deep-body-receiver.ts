/**
 * The Node receiver at `maxDepth: MAX_DEPTH_LIMIT`, run as a process of its own so that
 * sharp-options.test.ts can give it less stack than Node's default (`node --stack-size=…`): a body
 * at the limit must still be answered, `context.key` read, with that margin. Prints
 * `{"port":…}` on one line once listening; the test ends it with SIGTERM.
 */
import { MAX_DEPTH_LIMIT } from "../../src/verify/options.js";
import { startNodeReceiver } from "./start-node-receiver.js";

const receiver = await startNodeReceiver({ maxDepth: MAX_DEPTH_LIMIT }, (_notification, context) => {
  if (!context.key.startsWith("v1:")) throw new Error("no key");
});
process.stdout.write(`${JSON.stringify({ port: receiver.port })}\n`);
process.once("SIGTERM", () => void receiver.close().then(() => process.exit(0)));
