/**
 * A byte-exact HTTP/1.1 client over a plain TCP socket, for requests no well-behaved client
 * sends: a Content-Length far over what follows, a chunked body that never ends, invalid UTF-8,
 * a request target fetch() would normalise. The response is read as soon as it is complete, so a
 * server that answers before reading the body is observed doing so.
 */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Body bytes the client got into the socket before the response arrived. */
  readonly bytesSent: number;
}

export interface RawRequestOptions {
  /** Bytes after the head, sent at once. */
  readonly body?: Uint8Array | string;
  /** Or a stream of body chunks, written with back-pressure until the response starts. */
  readonly stream?: Iterable<Uint8Array | string>;
  readonly timeoutMs?: number;
}

function parseHead(head: string) {
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers };
}

/** Sends `head` ("POST / HTTP/1.1\r\n…\r\n\r\n" is added by the caller) and whatever body is given. */
export function rawRequest(port: number, head: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: "127.0.0.1", port });
    let received = Buffer.alloc(0);
    let bytesSent = 0;
    let responded = false;
    let done = false;
    const timer = setTimeout(
      () => finish(new Error(`no complete response within ${options.timeoutMs ?? 10_000} ms`)),
      options.timeoutMs ?? 10_000,
    );
    const finish = (result: RawResponse | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const tryComplete = (ended: boolean) => {
      const end = received.indexOf("\r\n\r\n");
      if (end === -1) {
        if (ended) finish(new Error("connection closed before a response head"));
        return;
      }
      responded = true;
      const { status, headers } = parseHead(received.subarray(0, end).toString("latin1"));
      const body = received.subarray(end + 4);
      const length = headers["content-length"];
      if (length !== undefined ? body.length >= Number(length) : ended) {
        finish({ status, headers, body: body.subarray(0, Number(length ?? body.length)).toString("utf8"), bytesSent });
      }
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryComplete(false);
    });
    socket.on("end", () => tryComplete(true));
    socket.on("close", () => tryComplete(true));
    // The server may close while we are still writing: that is a valid way to refuse.
    socket.on("error", () => tryComplete(true));
    socket.on("connect", async () => {
      socket.write(head);
      if (options.body !== undefined) {
        bytesSent += Buffer.byteLength(options.body);
        socket.write(options.body);
      }
      if (options.stream === undefined) return;
      for (const chunk of options.stream) {
        if (responded || done || socket.destroyed) return;
        bytesSent += Buffer.byteLength(chunk);
        if (!socket.write(chunk)) {
          await new Promise<void>((drained) => {
            const stop = () => {
              socket.off("drain", stop);
              socket.off("close", stop);
              clearInterval(poll);
              drained();
            };
            // Stop waiting once the response has arrived: the server may never read again.
            const poll = setInterval(() => (responded || done ? stop() : undefined), 5);
            socket.once("drain", stop);
            socket.once("close", stop);
          });
        }
      }
    });
  });
}

/** An HTTP/1.1 request head with Host and Connection: close, plus extra header lines. */
export function requestHead(method: string, target: string, headers: Readonly<Record<string, string>> = {}): string {
  const lines = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** `count` chunks of `size` bytes in chunked transfer coding, never followed by the last chunk. */
export function* endlessChunks(size: number, count: number): Generator<string> {
  const data = "7".repeat(size);
  const chunk = `${size.toString(16)}\r\n${data}\r\n`;
  for (let i = 0; i < count; i++) yield chunk;
}
