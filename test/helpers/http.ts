/** Real-HTTP helpers for adapter tests: servers on 127.0.0.1, port 0; raw requests with exact bytes. */
import { request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Starts `server` on 127.0.0.1 with an ephemeral port; returns its base URL. */
export function listenLocal(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

export interface RawRequest {
  readonly method: string;
  /** Path and query, sent verbatim. */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array | string;
  /** Send the body in pieces with Transfer-Encoding: chunked (no Content-Length). */
  readonly chunked?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * Sends one request with node:http (exact bytes, chunked on demand) and resolves with the
 * response, even when the server answers before the body is sent and closes the connection.
 * Bounded: rejects after 10 s.
 */
export function sendRaw(base: string, raw: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = typeof raw.body === "string" ? Buffer.from(raw.body) : raw.body;
    const headers: Record<string, string> = { ...raw.headers };
    if (body !== undefined && !raw.chunked && !Object.keys(headers).some((h) => h.toLowerCase() === "content-length")) {
      headers["content-length"] = String(body.byteLength);
    }
    const req = request(`${base}${raw.path}`, { method: raw.method, headers, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no response within 10 s: ${raw.method} ${raw.path}`));
    }, 10_000);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", () => undefined);
    });
    // The server may answer (413, 401…) and close before the body is written: not a test failure.
    req.on("error", () => undefined);
    if (body !== undefined && raw.chunked) {
      const size = 256;
      for (let i = 0; i < body.byteLength; i += size) req.write(body.subarray(i, i + size));
    } else if (body !== undefined) {
      req.write(body);
    }
    req.end();
  });
}
