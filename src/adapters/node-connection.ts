/**
 * A Node connection's edge cases around pipelining (RFC 9112 §9.3, §9.6), shared by the Node
 * adapter and `listen`.
 */
import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** Node's answers to a request it could not parse (lib/_http_server.js), as it writes them. */
const PARSE_ERROR_ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "413 Payload Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
};

export function clientError(error: Error & { code?: string }, socket: Duplex): void {
  // Data after `Connection: close`: the parser stops reading, the answer in flight still goes
  // out, and Node closes the connection after it.
  if (error.code === "HPE_CLOSED_CONNECTION" && !socket.destroyed) return;
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && answering?.headersSent !== true) {
    const status = PARSE_ERROR_ANSWERS[error.code ?? ""] ?? "400 Bad Request";
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(error);
}

/**
 * Runs `start` once `res` can be written: at once, or for a request pipelined behind one whose
 * answer is not sent yet, when Node hands it the socket. A request behind an answer that closes
 * the connection never gets it, so it is never handled: its answer could not be sent, and
 * impact.com sends it again. (Handled anyway, as Node lets it be, the notification would be
 * processed and then delivered once more.)
 */
export function whenAnswerable(res: ServerResponse, start: () => void): void {
  if (res.socket === null) {
    res.once("socket", () => whenAnswerable(res, start));
    return;
  }
  // Handed a socket already closing for writes: the answer before this request said
  // `Connection: close` and finished so fast that Node gave the socket to the next request it
  // had parsed. Nothing can be answered on it; Node closes it.
  if (res.socket.writable) start();
}

/**
 * `listen`'s lighter rule: a request is handled at once, even behind an answer not sent yet (so a
 * client pipelining thousands of requests fills its socket's buffers as fast as it sends, and the
 * stall timeout can close it), but never on a socket already closing for writes.
 */
export function unlessClosing(res: ServerResponse, start: () => void): void {
  if (res.socket === null || res.socket.writable) start();
}
