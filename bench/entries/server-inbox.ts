/**
 * This package's Node adapter with a durable inbox, as a user wires it: createNodeHandler(inbox),
 * each request answered 2xx once its row is committed to SQLite (`IMPACT_BENCH_INBOX_FILE`,
 * synchronous `IMPACT_BENCH_INBOX_SYNCHRONOUS`: full or normal). Every stats reply carries the
 * inbox's counters (rows recorded, transactions committed).
 */
import { createServer } from "node:http";
import { createNodeHandler } from "../../src/adapters/node.js";
import { createInbox } from "../../src/inbox/create-inbox.js";
import { sqliteInbox } from "../../src/inbox/sqlite.js";
import { serve } from "../lib/serve.js";

const file = process.env.IMPACT_BENCH_INBOX_FILE;
const synchronous = process.env.IMPACT_BENCH_INBOX_SYNCHRONOUS;
if (file === undefined || (synchronous !== "full" && synchronous !== "normal")) {
  throw new Error("set IMPACT_BENCH_INBOX_FILE and IMPACT_BENCH_INBOX_SYNCHRONOUS=full|normal");
}
const inbox = await createInbox(sqliteInbox({ file, synchronous }));

serve(createServer(createNodeHandler(inbox)), () => ({ inbox: inbox.counters }));
