/**
 * Requests held in flight over raw sockets, for tests that stop a receiver while a request is
 * still arriving: the receiver has the request (its head and part of its body) but cannot answer
 * until the test sends the rest.
 */
import { connect } from "node:net";
import { requestHead } from "./raw-http.js";

/** Polls `condition` every 20 ms; throws `what()` (or a generic message) after `ms`. */
export async function until(condition: () => boolean, ms: number, what?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(what?.() ?? "condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens a connection and sends `first`; `send` writes more; `response` resolves with the raw answer. */
export function openRequest(port: number, first: string) {
  const socket = connect({ host: "127.0.0.1", port });
  let received = "";
  socket.on("data", (d: Buffer) => {
    received += d.toString();
  });
  socket.on("error", () => undefined);
  const response = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  socket.write(first);
  return { send: (more: string) => socket.write(more), response, destroy: () => socket.destroy() };
}

/**
 * A POST in flight: its head and half its body are sent (and the receiver has had time to take
 * it); `finish` sends the rest and resolves with the raw answer once the server closes (the head
 * says Connection: close); `destroy` drops the connection.
 */
export async function halfSentPost(port: number) {
  const body = JSON.stringify({ campaign_id: "10306", status: "APPROVED", payout: "5.00" });
  const half = Math.floor(body.length / 2);
  const request = openRequest(
    port,
    requestHead("POST", "/notifications", {
      "content-type": "application/json",
      "content-length": String(body.length),
    }) + body.slice(0, half),
  );
  await new Promise((r) => setTimeout(r, 300));
  return {
    finish: () => {
      request.send(body.slice(half));
      return request.response;
    },
    destroy: request.destroy,
  };
}
