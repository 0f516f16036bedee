/**
 * Re-sending one stored request (`inbox replay`) byte for byte, over node:http(s): the stored
 * method, the stored target after the destination's path prefix, the stored headers but the
 * hop-by-hop ones, and the exact body bytes. node:http adds only Host (the destination's), the
 * Content-Length of those bytes (none for an empty GET) and Connection; fetch would add
 * Accept, Accept-Language, Sec-Fetch-Mode and could not send Host-less or byte-exact heads.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { StoredRequest } from "../../inbox/store.js";
import type { SendResult } from "../../testing/index.js";

/** The first bytes of an answer kept to say why it was refused (as `send` does). */
const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1), plus the ones the new connection decides: Host (the
 * destination's), Content-Length (the body's exact length), Expect (the body is sent at once).
 */
const NOT_FORWARDED: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "expect",
]);

/** The stored headers to send again: all but the hop-by-hop ones (and those Connection named). */
export function replayHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const named = new Set(
    (headers.connection ?? "")
      .split(",")
      .map((n) => n.trim().toLowerCase())
      .filter((n) => n !== ""),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!NOT_FORWARDED.has(name) && !named.has(name)) out[name] = value;
  }
  return out;
}

/**
 * The path to request: the destination's path prefix (`--to http://host/prefix`; none for
 * `http://host` or `http://host/`) followed by the stored target exactly. A target in absolute
 * form (`GET http://host/path`, as a proxy is asked) gives its path and query; anything else
 * (`*`, an authority) cannot be replayed: undefined.
 */
export function replayPath(to: URL, target: string): string | undefined {
  const prefix = to.pathname === "/" ? "" : to.pathname.replace(/\/+$/, "");
  if (target.startsWith("/")) return `${prefix}${target}`;
  try {
    const absolute = new URL(target);
    if (absolute.protocol !== "http:" && absolute.protocol !== "https:") return undefined;
    return `${prefix}${absolute.pathname}${absolute.search}`;
  } catch {
    return undefined;
  }
}

export interface Replayer {
  send(request: StoredRequest, path: string): Promise<SendResult>;
  close(): void;
}

/** Sends to `to`'s origin over keep-alive connections (at most `maxSockets` at once). */
export function createReplayer(to: URL, timeoutMs: number, maxSockets: number): Replayer {
  const https = to.protocol === "https:";
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets })
    : new HttpAgent({ keepAlive: true, maxSockets });
  const request = https ? httpsRequest : httpRequest;
  const hostname = to.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = to.port === "" ? (https ? 443 : 80) : Number(to.port);
  const url = `${to.origin}${to.pathname === "/" ? "" : to.pathname.replace(/\/+$/, "")}`;

  return {
    send(stored, path) {
      const started = performance.now();
      const method = stored.method as SendResult["method"];
      const base = { method, url, contentType: undefined, body: "" };
      return new Promise<SendResult>((resolve) => {
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
        const finish = (result: Omit<SendResult, "method" | "url" | "durationMs">) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ method, url, ...result, durationMs: performance.now() - started });
        };
        const failed = (code: "timeout" | "connection_failed", message: string) =>
          finish({ ...base, delivered: false, status: 0, ok: false, error: { code, message } });
        const answered = (res: IncomingMessage, text: string) => {
          const status = res.statusCode ?? 0;
          finish({
            delivered: true,
            status,
            ok: status >= 200 && status < 300,
            contentType: res.headers["content-type"],
            body: text,
          });
        };
        let req: ReturnType<typeof request>;
        try {
          req = request({
            agent,
            hostname,
            port,
            method: stored.method,
            path,
            headers: replayHeaders(stored.headers),
          });
        } catch (error) {
          // A stored method, path or header node:http refuses to send (ERR_INVALID_CHAR, …).
          failed("connection_failed", error instanceof Error ? error.message : String(error));
          return;
        }
        timer = setTimeout(() => {
          failed("timeout", "no response in time");
          req.destroy();
        }, timeoutMs);
        req.on("error", (error: NodeJS.ErrnoException) => failed("connection_failed", error.code ?? error.message));
        req.on("response", (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size));
            size += chunk.byteLength;
          });
          res.on("end", () => answered(res, Buffer.concat(chunks).toString("utf8")));
          // The answer's head arrived: a body cut short still says what the status was.
          res.on("error", () => answered(res, Buffer.concat(chunks).toString("utf8")));
          res.on("close", () => answered(res, Buffer.concat(chunks).toString("utf8")));
        });
        // end(bytes) before any write: node:http sets Content-Length from exactly these bytes. An
        // empty body that arrived without a Content-Length (a GET) is sent without one.
        const { body } = stored;
        const sized = body.byteLength > 0 || stored.headers["content-length"] !== undefined;
        req.end(sized ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
