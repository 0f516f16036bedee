import { createServer } from "node:net";

/**
 * A port that was free a moment ago on 127.0.0.1. For servers that cannot listen on port 0
 * themselves (Prism); callers retry if another process takes it in between.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
