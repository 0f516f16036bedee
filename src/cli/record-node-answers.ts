import { type Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** An answer that Node's `clientError` path wrote on a request's connection, instead of its verdict. */
export interface NodeAnswer {
  readonly status: number;
  /** The status line as written, e.g. `408 Request Timeout`. */
  readonly statusLine: string;
  /** Node's error code, e.g. `ERR_HTTP_REQUEST_TIMEOUT`, `HPE_CHUNK_EXTENSIONS_OVERFLOW`. */
  readonly cause: string;
}

type ClientErrorListener = (error: Error & { code?: string }, socket: Duplex) => void;

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) ([^\r\n]*)/;

/**
 * Installs `onClientError` as `server`'s 'clientError' listener, and remembers, per response, what
 * it wrote. A request whose body is cut short (requestTimeout, a malformed or oversized chunk) is
 * answered there, raw (408, 413, 400), and the connection destroyed; the verdict computed once the
 * body reader sees the end is never sent. The returned lookup tells, for a response, the answer
 * the client got instead, or undefined when its own answer was the one sent.
 *
 * What is recorded is what `onClientError` wrote to the socket (its writes are observed for the
 * length of the call), not a guess from the error code, so the log cannot drift from the answer.
 */
export function recordNodeAnswers(
  server: Server,
  onClientError: ClientErrorListener,
): (res: ServerResponse) => NodeAnswer | undefined {
  const answers = new WeakMap<ServerResponse, NodeAnswer>();
  server.on("clientError", (error: Error & { code?: string }, socket: Duplex) => {
    // The response the connection is answering: the one whose request Node was reading.
    const res = (socket as Duplex & { _httpMessage?: unknown })._httpMessage;
    let written = "";
    const own = Object.hasOwn(socket, "write");
    const write = socket.write;
    socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]) {
      if (typeof chunk === "string") written += chunk;
      return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Duplex["write"];
    try {
      onClientError(error, socket);
    } finally {
      if (own) socket.write = write;
      else delete (socket as { write?: unknown }).write;
    }
    const line = STATUS_LINE.exec(written);
    if (res instanceof ServerResponse && !res.headersSent && line !== null) {
      answers.set(res, {
        status: Number(line[1]),
        statusLine: `${line[1]} ${line[2]}`,
        cause: error.code ?? error.name,
      });
    }
  });
  return (res) => answers.get(res);
}
