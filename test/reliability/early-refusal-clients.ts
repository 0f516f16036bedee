/**
 * Well-behaved Node clients (fetch/undici and node:http) uploading a body the server refuses
 * before reading it, for test/reliability/early-refusal.test.ts. Each try resolves with what the
 * client saw: "413 payload_too_large" (the refusal, problem body and all) or the error it got
 * instead (EPIPE, ECONNRESET…). Bounded: a try gives up after 10 s.
 */
import { request } from "node:http";

export type Client = "fetch, Content-Length" | "fetch, chunked" | "node:http, Content-Length" | "node:http, chunked";
export const clients: readonly Client[] = [
  "fetch, Content-Length",
  "fetch, chunked",
  "node:http, Content-Length",
  "node:http, chunked",
];

const TRY_MS = 10_000;
const PIECE = 64 * 1024;

function outcomeOf(status: number, text: string): string {
  try {
    const problem = JSON.parse(text) as { code?: unknown };
    return `${status} ${String(problem.code)}`;
  } catch {
    return `${status} (no problem body)`;
  }
}

function errorOf(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown; message?: unknown }; message?: unknown };
  return String(e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? error);
}

function* pieces(body: Uint8Array<ArrayBuffer>): Generator<Uint8Array> {
  for (let at = 0; at < body.byteLength; at += PIECE) yield body.subarray(at, at + PIECE);
}

async function viaFetch(url: string, body: Uint8Array<ArrayBuffer>, chunked: boolean): Promise<string> {
  const init: RequestInit & { duplex: "half" } = {
    method: "POST",
    headers: { "content-type": "application/json" },
    duplex: "half",
    signal: AbortSignal.timeout(TRY_MS),
    body: chunked
      ? new ReadableStream<Uint8Array>({
          start(controller) {
            for (const piece of pieces(body)) controller.enqueue(piece);
            controller.close();
          },
        })
      : body,
  };
  try {
    const response = await fetch(url, init);
    return outcomeOf(response.status, await response.text());
  } catch (error) {
    return errorOf(error);
  }
}

function viaNodeHttp(url: string, body: Uint8Array<ArrayBuffer>, chunked: boolean): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (!chunked) headers["content-length"] = String(body.byteLength);
    const req = request(url, { method: "POST", headers, agent: false });
    const timer = setTimeout(() => settle("no answer within 10 s"), TRY_MS);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => settle(outcomeOf(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"))));
      res.on("error", (error) => settle(errorOf(error)));
    });
    req.on("error", (error) => settle(errorOf(error)));
    if (chunked) for (const piece of pieces(body)) req.write(piece);
    else req.write(body);
    req.end();
  });
}

/** One upload of `body` to `url` by `client`; what it saw. */
export function upload(client: Client, url: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  switch (client) {
    case "fetch, Content-Length":
      return viaFetch(url, body, false);
    case "fetch, chunked":
      return viaFetch(url, body, true);
    case "node:http, Content-Length":
      return viaNodeHttp(url, body, false);
    case "node:http, chunked":
      return viaNodeHttp(url, body, true);
  }
}

/** `tries` uploads one after another; how often each outcome was seen. */
export async function tally(client: Client, url: string, body: Uint8Array<ArrayBuffer>, tries: number) {
  const seen: Record<string, number> = {};
  for (let i = 0; i < tries; i++) {
    const outcome = await upload(client, url, body);
    seen[outcome] = (seen[outcome] ?? 0) + 1;
  }
  return seen;
}
