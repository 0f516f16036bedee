/**
 * A minimal stand-in for API Gateway / Lambda Function URLs: a real node:http server on
 * 127.0.0.1 that turns each request into a payload 1.0 or 2.0 event, the way AWS documents them
 * (headers, raw or decoded query, base64 body), calls the handler and writes its proxy result.
 */
import { isUtf8 } from "node:buffer";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { LambdaEvent, LambdaResult } from "../../src/adapters/lambda.js";

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function toEvent(req: IncomingMessage, body: Buffer, version: "1.0" | "2.0"): LambdaEvent {
  const url = new URL(req.url ?? "/", "http://lambda.local");
  const headers: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers[req.rawHeaders[i] as string] = req.rawHeaders[i + 1] as string;
  }
  const sourceIp = req.socket.remoteAddress ?? "";
  if (version === "2.0") {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      version: "2.0",
      rawQueryString: url.search.slice(1),
      headers: lower,
      ...(body.length > 0 ? { body: body.toString("base64") } : {}),
      isBase64Encoded: body.length > 0,
      requestContext: { http: { method: req.method ?? "", sourceIp } },
    };
  }
  // A Map, then fromEntries: a "__proto__" parameter must arrive as an own key, as from AWS.
  const pairs = new Map<string, string[]>();
  for (const [k, v] of url.searchParams) pairs.set(k, [...(pairs.get(k) ?? []), v]);
  const multi: Record<string, string[]> = Object.fromEntries(pairs);
  return {
    httpMethod: req.method ?? "",
    headers,
    multiValueQueryStringParameters: Object.keys(multi).length > 0 ? multi : null,
    // Like API Gateway with binary media types: text as is, anything not UTF-8 in base64.
    body: body.length === 0 ? null : isUtf8(body) ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: body.length > 0 && !isUtf8(body),
    requestContext: { identity: { sourceIp } },
  };
}

export function lambdaEmulator(handler: (event: LambdaEvent) => Promise<LambdaResult>, version: "1.0" | "2.0"): Server {
  return createServer((req, res) => {
    void readAll(req).then(async (body) => {
      const result = await handler(toEvent(req, body, version));
      res.writeHead(result.statusCode, result.headers).end(result.body);
    });
  });
}
