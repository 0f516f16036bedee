/**
 * `listen` (`npm start`): a local receiver built on the package's Node adapter. Every request to
 * --path (and, without --contract, to each template contract's configured route) is verified
 * (method, secret, size, decoding, contract) exactly as in production, answered
 * (200 or problem+json), and printed as one line: accepted with its key fields, or rejected with
 * the reason. SIGINT/SIGTERM stop it gracefully: no new connections, in-flight requests finish.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { contracts } from "../../../generated/index.js";
import { sendNodeResult, verifyNodeRequest } from "../../adapters/node.js";
import type { ContractRuntime } from "../../contract.js";
import { contractForRoute } from "../../contract-for-route.js";
import { pathOf } from "../../verify/decode-parameters.js";
import type { VerifyOptions } from "../../verify/options.js";
import { CliError } from "../cli-error.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { formatVerdictJson, formatVerdictLine, type RequestLog } from "../format-verdict.js";
import { contractDocumentPath } from "../package-root.js";
import { integerOption, parseOptions } from "../parse-options.js";
import { untilSignal } from "../until-signal.js";

const options = {
  port: { type: "string" },
  host: { type: "string" },
  path: { type: "string" },
  secret: { type: "string", multiple: true },
  "secret-param": { type: "string" },
  "secret-header": { type: "string" },
  contract: { type: "string" },
  json: { type: "boolean" },
} as const;

/** How long in-flight requests get to finish after Ctrl-C before their connections are cut. */
const DRAIN_MS = 10_000;
const NOT_FOUND_BODY = JSON.stringify({ type: "about:blank", title: "Not Found", status: 404 });
const UNAVAILABLE_BODY = JSON.stringify({ type: "about:blank", title: "Shutting down", status: 503 });

function verifyOptionsOf(values: {
  secret?: string[];
  "secret-param"?: string;
  "secret-header"?: string;
  contract?: string;
}): VerifyOptions {
  const contract = (values.contract ?? "documented") as "documented";
  // Without --contract, each template contract is also served on its own configured route.
  const byRoute = values.contract === undefined;
  if (values.secret === undefined) {
    if (values["secret-param"] !== undefined || values["secret-header"] !== undefined) {
      throw new CliError("--secret-param and --secret-header say where the secret travels; also pass --secret VALUE.");
    }
    return { contract, byRoute };
  }
  if (values.secret.some((s) => s === "")) throw new CliError("--secret must not be empty.");
  // Both places by default, the names `send --secret` uses; name one to accept only that place.
  const named = values["secret-param"] !== undefined || values["secret-header"] !== undefined;
  return {
    contract,
    byRoute,
    secret: {
      values: values.secret,
      ...(named ? {} : { queryParameter: "secret", header: "x-impact-secret" }),
      ...(values["secret-param"] === undefined ? {} : { queryParameter: values["secret-param"] }),
      ...(values["secret-header"] === undefined ? {} : { header: values["secret-header"] }),
    },
  };
}

export async function runListen(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("listen", args, options);
  const port = integerOption("port", values.port, 3000, 0, 65_535);
  const host = values.host ?? "127.0.0.1";
  const path = values.path ?? "/notifications";
  if (!path.startsWith("/")) throw new CliError(`--path must start with "/", e.g. /notifications, got "${path}".`);
  contractDocumentPath(values.contract ?? "documented");
  const verifyOptions = verifyOptionsOf(values);
  const print = (log: RequestLog) =>
    process.stdout.write(`${values.json === true ? formatVerdictJson(log) : formatVerdictLine(log)}\n`);

  let stopping = false;
  let inFlight = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const time = new Date();
    const method = req.method ?? "";
    const requestPath = pathOf(req.url ?? "/");
    if (stopping) {
      // impact.com retries anything but a 2xx (facts §5): 503 loses nothing.
      res
        .writeHead(503, { "content-type": "application/problem+json", connection: "close", "retry-after": "5" })
        .end(UNAVAILABLE_BODY);
      return;
    }
    if (requestPath !== path && !(verifyOptions.byRoute === true && contractForRoute(method, requestPath))) {
      res.writeHead(404, { "content-type": "application/problem+json" }).end(NOT_FOUND_BODY);
      print({
        time,
        method,
        path: requestPath,
        status: 404,
        result: { ok: false, reason: `not the notification path (${path})` },
      });
      return;
    }
    const result = await verifyNodeRequest(req, verifyOptions);
    if (stopping) res.setHeader("connection", "close");
    sendNodeResult(res, result);
    print({ time, method, path: requestPath, status: result.ok ? 200 : result.status, result });
  };

  const server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/problem+json" }).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new CliError(
              `Port ${port} on ${host} is in use. Pass another with --port (--port 0 picks a free one).`,
              exitCodes.environment,
            )
          : new CliError(
              `Cannot listen on ${host}:${port} (${error.code ?? error.message}). Check --host and --port.`,
              exitCodes.environment,
            ),
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}${path}`;
  if (values.json === true) process.stdout.write(`${JSON.stringify({ event: "listening", url })}\n`);
  else {
    const secret = verifyOptions.secret === undefined ? "no secret required" : "shared secret required";
    process.stdout.write(
      `Listening on ${url} (contract "${verifyOptions.contract}", GET and POST, ${secret}). Stop with Ctrl-C.\n`,
    );
    if (verifyOptions.byRoute === true) {
      const origin = url.slice(0, url.length - path.length);
      for (const c of Object.values(contracts as Record<string, ContractRuntime>)) {
        if (c.template !== undefined) {
          process.stdout.write(`  and ${c.template.delivery} ${origin}${c.template.path} (contract "${c.name}")\n`);
        }
      }
    }
  }

  // A second Ctrl-C cuts the wait short.
  const signal = await untilSignal(() => server.closeAllConnections());
  stopping = true;
  process.stderr.write(`${signal}: stopping, ${inFlight} request(s) in flight…\n`);
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearTimeout(force);
  process.stderr.write("Stopped.\n");
  return exitCodes.ok;
}
