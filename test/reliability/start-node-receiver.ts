/**
 * Starts the project's Node receiver (`createNodeHandler` from src/adapters/node.ts) on a real
 * `node:http` server on 127.0.0.1, port 0. Records every notification the handler saw and every
 * reason passed to `onError`, so tests can check what reached user code and what was logged.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeHandler, type NodeHandlerOptions } from "../../src/adapters/node.js";
import type { NotificationContext } from "../../src/handler/handle-notification.js";

export interface RunningReceiver {
  readonly port: number;
  readonly server: Server;
  readonly seen: { notification: unknown; context: NotificationContext }[];
  readonly logged: unknown[];
  close(): Promise<void>;
}

export async function startNodeReceiver(
  options: NodeHandlerOptions = {},
  onNotification: (notification: unknown, context: NotificationContext) => unknown = () => undefined,
  serverOptions: { requestTimeout?: number; connectionsCheckingInterval?: number; maxHeaderSize?: number } = {},
): Promise<RunningReceiver> {
  const seen: RunningReceiver["seen"] = [];
  const logged: unknown[] = [];
  const handler = createNodeHandler(
    (notification, context) => {
      seen.push({ notification, context });
      return onNotification(notification, context);
    },
    { ...options, onError: (error) => logged.push(error) },
  );
  const server = createServer(serverOptions, handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    seen,
    logged,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
