/**
 * express-openapi-validator without an HTTP server: its middleware chain called with a minimal
 * Express-like request, as Express would after `express.json()`. Resolves `true` when every
 * middleware passed, or the error it handed to `next`.
 */
import * as OpenApiValidator from "express-openapi-validator";
import type { Json } from "./contract-document.js";

type Middleware = (req: unknown, res: unknown, next: (error?: unknown) => void) => void;

export interface EovRequest {
  readonly method: "GET" | "POST";
  readonly query?: Record<string, string>;
  readonly body?: unknown;
}

export function createEovMiddleware(doc: Json): Middleware[] {
  return OpenApiValidator.middleware({
    apiSpec: doc as never,
    validateRequests: true,
    validateResponses: false,
  }) as unknown as Middleware[];
}

export function eovRequest(path: string, input: EovRequest) {
  return {
    method: input.method,
    url: path,
    originalUrl: path,
    path,
    baseUrl: "",
    headers: input.method === "POST" ? { "content-type": "application/json" } : {},
    body: input.body,
    query: input.query ?? {},
    params: {},
    cookies: {},
    app: { enabled: () => false },
  };
}

export function runEov(chain: readonly Middleware[], req: object): Promise<unknown> {
  return new Promise((resolve) => {
    let i = 0;
    const next = (error?: unknown) => {
      if (error !== undefined) {
        resolve(error);
        return;
      }
      const mw = chain[i++];
      if (mw === undefined) resolve(true);
      else mw(req, {}, next);
    };
    next();
  });
}
