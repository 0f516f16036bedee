/**
 * `listen` (`npm start`): a local receiver built on the package's Node adapter. With a project's
 * generated contracts (--contracts DIR, or found by default), every contract is served on its
 * configured route; with the built-in ones, --path gets "documented" (or --contract) and, without
 * --contract, each built-in template contract its route. Every request is verified
 * (method, secret, size, decoding, contract) exactly as in production, answered
 * (200 or problem+json), and printed as one line: accepted with its key fields, or rejected with
 * the reason. SIGINT/SIGTERM stop it gracefully: no new connections, in-flight requests finish.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { sendNodeResponse } from "../../adapters/node.js";
import { clientError, unlessClosing } from "../../adapters/node-connection.js";
import { NodeExchange, nodeBody } from "../../adapters/node-exchange.js";
import { recordVerdict } from "../../adapters/record-node-request.js";
import type { ContractRuntime } from "../../contract.js";
import { routeTable, trimSlash } from "../../contract-for-route.js";
import type { Inbox } from "../../inbox/create-inbox.js";
import type { ContractSelector } from "../../select-contract.js";
import { pathOf } from "../../verify/decode-parameters.js";
import type { SecretOptions, VerifyOptions } from "../../verify/options.js";
import { resolveVerifyOptions } from "../../verify/options.js";
import { receive } from "../../verify/receive.js";
import type { VerifyResult } from "../../verify/verify-result.js";
import { CliError } from "../cli-error.js";
import { loadContractSource } from "../contract-source.js";
import { type ExitCode, exitCodes } from "../exit-codes.js";
import { formatVerdictJson, formatVerdictLine, type RequestLog } from "../format-verdict.js";
import { BIN } from "../help.js";
import { openCliInbox } from "../open-inbox.js";
import { integerOption, parseOptions } from "../parse-options.js";
import { recordNodeAnswers } from "../record-node-answers.js";
import { untilSignal } from "../until-signal.js";

const options = {
  port: { type: "string" },
  host: { type: "string" },
  path: { type: "string" },
  secret: { type: "string", multiple: true },
  "secret-param": { type: "string" },
  "secret-header": { type: "string" },
  contract: { type: "string" },
  contracts: { type: "string" },
  json: { type: "boolean" },
  inbox: { type: "string" },
  "no-inbox": { type: "boolean" },
} as const;

/** Where `listen` records every request unless told otherwise (docs/inbox.md). */
export const DEFAULT_INBOX_FILE = ".impact-inbox.sqlite";

/** How long in-flight requests get to finish after Ctrl-C before their connections are cut. */
const DRAIN_MS = 10_000;

/**
 * How long a client may hold a connection without completing a request. A notification is one
 * small request (under 10 KiB: a GET's query string or a POST's JSON), sent by a server, not typed
 * by a person, so a legitimate sender delivers the whole of it in well under a second even over a
 * slow link. impact.com does not document its own timeout; webhook senders commonly give up after
 * seconds, not minutes, and retry, so a request still arriving after that is one no one awaits.
 * Node's defaults (60 s for the head, 300 s for the whole request, checked every 30 s) let a
 * client that trickles bytes hold a socket and a file descriptor for up to ~90 s or ~330 s.
 * - headersTimeout: the request line and headers, from their first byte (or from the connection,
 *   for a client that sends nothing), must be in within 10 s.
 * - requestTimeout: the whole request, body included, within 15 s (Node requires it to be at
 *   least headersTimeout). Past either, Node answers 408 and closes the connection.
 * - connectionsCheckingInterval: how often Node looks for connections past those limits; 1 s, so
 *   each limit holds to within a second (the check is a walk over the open connections).
 * - keepAliveTimeout: Node's 5 s, stated here because it is part of the contract: an idle
 *   connection after an answer is closed 5 s later (Node 20.20 and 24 add a 1 s grace; it announces
 *   `Keep-Alive: timeout=5`, so a client that honours it never races the close). Shorter buys
 *   nothing against a hostile client, whose next request is bounded by headersTimeout anyway,
 *   and makes a bursty sender reconnect more often.
 * - stalledTimeout: 10 s without a byte moving either way, once a request is in: the one phase
 *   the limits above leave open, a client that sent its requests (pipelined, many of them) but
 *   never reads the answers, which would otherwise hold its socket forever. Set per request
 *   (Node's `server.timeout` is reset to none by the first keep-alive answer). Node lets a
 *   socket with a write pending time out only on the second expiry, so such a client is cut
 *   after 10 to 20 s. No legitimate exchange goes 10 s without moving a byte.
 * - maxRequestsPerSocket stays unlimited: a sender reusing one connection costs less than one
 *   reconnecting, and there is no pool behind this server to rebalance.
 */
export const SERVER_LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
  stalledTimeout: 10_000,
} as const;
const NOT_FOUND_BODY = JSON.stringify({ type: "about:blank", title: "Not Found", status: 404 });
const UNAVAILABLE_BODY = JSON.stringify({ type: "about:blank", title: "Shutting down", status: 503 });

function secretOf(values: {
  secret?: string[];
  "secret-param"?: string;
  "secret-header"?: string;
}): SecretOptions | undefined {
  if (values.secret === undefined) {
    if (values["secret-param"] !== undefined || values["secret-header"] !== undefined) {
      throw new CliError("--secret-param and --secret-header say where the secret travels; also pass --secret VALUE.");
    }
    return undefined;
  }
  if (values.secret.some((s) => s === "")) throw new CliError("--secret must not be empty.");
  // Both places by default, the names `send --secret` uses; name one to accept only that place.
  const named = values["secret-param"] !== undefined || values["secret-header"] !== undefined;
  return {
    values: values.secret,
    ...(named ? {} : { queryParameter: "secret", header: "x-impact-secret" }),
    ...(values["secret-param"] === undefined ? {} : { queryParameter: values["secret-param"] }),
    ...(values["secret-header"] === undefined ? {} : { header: values["secret-header"] }),
  };
}

/** What the adapter core gives `listen` for a request: the verdict, the body it read, the contract it routed to. */
interface Verified {
  readonly result: VerifyResult<ContractSelector>;
  readonly body: Uint8Array | undefined;
  readonly contract: ContractRuntime | undefined;
}

export async function runListen(args: readonly string[]): Promise<ExitCode> {
  const { values } = parseOptions("listen", args, options);
  const port = integerOption("port", values.port, 3000, 0, 65_535);
  const host = values.host ?? "127.0.0.1";
  const path = values.path ?? "/notifications";
  if (!path.startsWith("/")) throw new CliError(`--path must start with "/", e.g. /notifications, got "${path}".`);
  const source = await loadContractSource(values.contracts);
  const own = source.registry !== undefined;
  if (own && values.path !== undefined && values.contract === undefined) {
    throw new CliError(
      "--path serves one contract: also pass --contract NAME (each of your contracts is already served on its own route).",
    );
  }
  // The contract of --path: --contract, else "documented" for the built-in contracts; none for a
  // project's own, each of which has its route.
  const fallback: ContractRuntime | undefined =
    values.contract !== undefined ? source.get(values.contract) : own ? undefined : source.get("documented");
  // Routed: all of a project's contracts; the built-in template contracts unless --contract picks one.
  const routed = own
    ? [...source.contracts.values()]
    : values.contract === undefined
      ? [...source.contracts.values()].filter((c) => c.template !== undefined)
      : [];
  const routes = routeTable(routed);
  const secret = secretOf(values);
  const verifyOptions: VerifyOptions<ContractRuntime> = {
    ...(own ? { contracts: source.registry } : routed.length > 0 ? { byRoute: true } : {}),
    ...(fallback === undefined ? {} : { contract: fallback }),
    ...(secret === undefined ? {} : { secret }),
  };
  const resolved = resolveVerifyOptions(verifyOptions);
  if (values.inbox !== undefined && values["no-inbox"] === true) {
    throw new CliError("--inbox and --no-inbox contradict each other: pass one.");
  }
  const inbox: Inbox | undefined =
    values["no-inbox"] === true
      ? undefined
      : await openCliInbox(values.inbox ?? DEFAULT_INBOX_FILE, values.inbox !== undefined);
  const print = (log: RequestLog) =>
    process.stdout.write(`${values.json === true ? formatVerdictJson(log) : formatVerdictLine(log)}\n`);

  let stopping = false;
  let inFlight = 0;
  /** `continueTo`: set for a request sent with `Expect: 100-continue` (see `onRequest`). */
  const handle = async (req: IncomingMessage, res: ServerResponse, continueTo: ServerResponse | undefined) => {
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
    if (!(fallback !== undefined && requestPath === path) && !routes.byPath.has(trimSlash(requestPath))) {
      res.writeHead(404, { "content-type": "application/problem+json" }).end(NOT_FOUND_BODY);
      print({
        time,
        method,
        path: requestPath,
        status: 404,
        result: {
          ok: false,
          code: "not_found",
          reason: fallback === undefined ? "not a configured route" : `not the notification path (${path})`,
        },
      });
      return;
    }
    const exchange = new NodeExchange(req, res, undefined, continueTo);
    const { result, body, contract } = await new Promise<Verified>((resolve) =>
      receive(exchange, resolved, nodeBody, (_, result, body, contract) => resolve({ result, body, contract })),
    );
    let answer = result;
    let stored: RequestLog["stored"];
    if (inbox !== undefined) {
      const recorded = await recordVerdict(inbox, req, result, body, contract, exchange.peer, time.getTime());
      answer = recorded.answer;
      stored = recorded.outcome;
      if (recorded.error !== undefined) {
        const reason = recorded.error instanceof Error ? recorded.error.message : String(recorded.error);
        process.stderr.write(`inbox: could not store the request (${reason.split("\n")[0]})\n`);
      }
    }
    if (stopping) res.setHeader("connection", "close");
    sendNodeResponse(res, answer);
    // The body was cut short and Node answered the connection itself: log what the client got.
    const byNode = nodeAnswer(res);
    print(
      byNode === undefined
        ? { time, method, path: requestPath, status: answer.ok ? 200 : answer.status, result: answer, stored }
        : {
            time,
            method,
            path: requestPath,
            status: byNode.status,
            result: {
              ok: false,
              code: "answered_by_node",
              reason: `Node answered ${byNode.statusLine} and closed the connection (${byNode.cause})`,
            },
            stored,
          },
    );
  };

  const { stalledTimeout, ...serverOptions } = SERVER_LIMITS;
  const onRequest = (req: IncomingMessage, res: ServerResponse, continueTo?: ServerResponse) => {
    // Node clears the socket's timeout before each request it parses and sets keepAliveTimeout
    // once its answer is written: in between, an answer the client never reads times the socket
    // out. Set on arrival, also for a request that waits behind another's answer.
    req.socket.setTimeout(stalledTimeout);
    inFlight++;
    res.once("close", () => inFlight--);
    // Never handled on a socket that an answer before it is closing (node-connection.ts).
    unlessClosing(res, () => {
      handle(req, res, continueTo).catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/problem+json" }).end();
      });
    });
  };
  // clientError: bytes after `Connection: close` do not cost the answer before them.
  const server = createServer(serverOptions, (req, res) => onRequest(req, res));
  const nodeAnswer = recordNodeAnswers(server, clientError);
  // A request with `Expect: 100-continue` comes here instead, and Node sends no `100 Continue` by
  // itself: the verifier sends it once the head passed, so a refusal from the head (413 for a
  // Content-Length over the limit, 401, 404, 415, 503 while stopping…) is answered before the
  // client uploads a body no one will read.
  server.on("checkContinue", (req, res) => onRequest(req, res, res));
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
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  const url = fallback === undefined ? origin : `${origin}${path}`;
  const routeLines = routed.flatMap((c) =>
    c.template === undefined ? [] : [`${c.template.delivery} ${origin}${c.template.path} (contract "${c.name}")`],
  );
  if (values.json === true) {
    const recording = inbox === undefined ? {} : { inbox: inbox.store.location };
    process.stdout.write(`${JSON.stringify({ event: "listening", url, routes: routeLines, ...recording })}\n`);
  } else {
    const required = secret === undefined ? "no secret required" : "shared secret required";
    process.stdout.write(
      inbox === undefined
        ? "Not recording (--no-inbox).\n"
        : `Recording every request in ${inbox.store.location} (\`${BIN} inbox list\`; --no-inbox to stop).\n`,
    );
    const from = source.folder === undefined ? "" : ` from ${source.folder}`;
    process.stdout.write(
      fallback === undefined
        ? `Listening on ${origin} (${routed.length} contract(s)${from}, ${required}). Stop with Ctrl-C.\n`
        : `Listening on ${url} (contract "${fallback.name}", GET and POST, ${required}). Stop with Ctrl-C.\n`,
    );
    for (const line of routeLines) process.stdout.write(`  ${fallback === undefined ? "" : "and "}${line}\n`);
    if (own && routeLines.length < routed.length) {
      process.stdout.write(
        "  (contracts without a template have no route: serve one with --contract NAME --path PATH)\n",
      );
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
  await inbox?.close();
  process.stderr.write("Stopped.\n");
  return exitCodes.ok;
}
