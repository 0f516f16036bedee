/**
 * `npm run mock`: the real Prism mock on every bundled contract (generated/<contract>/openapi.json),
 * with request validation on; prints the URLs. Same as the CLI's `mock` command; options pass
 * through: `npm run mock -- --contract documented --port 4010`.
 */
import { main } from "../src/cli/main.js";

main(["mock", ...process.argv.slice(2)]).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = typeof error === "object" && error !== null && "exitCode" in error ? Number(error.exitCode) : 70;
  },
);
