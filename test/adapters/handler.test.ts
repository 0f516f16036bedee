/** The acknowledgement rules: 2xx only after onNotification resolved; 5xx on throw or timeout. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createFetchHandler } from "../../src/adapters/fetch.js";
import { createNodeHandler } from "../../src/adapters/node.js";
import { canonicalJson } from "../../src/handler/canonical-json.js";
import type { NotificationContext } from "../../src/handler/handle-notification.js";
import { notificationKey } from "../../src/handler/notification-key.js";
import { closeServer, listenLocal, sendRaw } from "../helpers/http.js";

const path = "/?action_id=1000.1.2&status=PENDING&payout=5.00";
let server: Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function start(handler: Parameters<typeof createNodeHandler>[0], timeoutMs = 2000) {
  server = createServer(createNodeHandler(handler, { timeoutMs }));
  return listenLocal(server);
}

describe("node handler", () => {
  test("reads the headers and the socket's address only when a check needs them", async () => {
    const read: string[] = [];
    const watched = (options: Parameters<typeof createNodeHandler>[1]) => {
      const handle = createNodeHandler(() => undefined, options);
      return (req: IncomingMessage, res: ServerResponse) => {
        const headers = req.headers;
        const socket = req.socket;
        Object.defineProperty(req, "headers", {
          get: () => {
            read.push("headers");
            return headers;
          },
        });
        Object.defineProperty(req, "socket", {
          get: () =>
            new Proxy(socket, {
              get: (s, key) => {
                if (key === "remoteAddress") read.push("address");
                return Reflect.get(s, key);
              },
            }),
        });
        handle(req, res);
      };
    };
    server = createServer(watched({}));
    let base = await listenLocal(server);
    expect((await sendRaw(base, { method: "GET", path })).status).toBe(200);
    // A GET with the default options needs neither: Node builds req.headers on first read.
    expect(read).toEqual([]);
    expect(
      (
        await sendRaw(base, {
          method: "POST",
          path: "/",
          headers: { "content-type": "application/json" },
          body: '{"payout":"5.00"}',
        })
      ).status,
    ).toBe(200);
    expect(read).toContain("headers");
    expect(read).not.toContain("address");
    await closeServer(server);
    read.length = 0;
    server = createServer(watched({ ipAllowList: ["10.0.0.0/8"] }));
    base = await listenLocal(server);
    // With an allow-list the socket's address is checked (127.0.0.1 is outside it).
    expect((await sendRaw(base, { method: "GET", path })).status).toBe(403);
    expect(read).toContain("address");
  });

  test("answers 200 only after the handler's promise resolved", async () => {
    const events: string[] = [];
    const base = await start(async () => {
      await new Promise((r) => setTimeout(r, 100));
      events.push("stored");
    });
    const res = await sendRaw(base, { method: "GET", path });
    events.push("answered");
    expect(res.status).toBe(200);
    expect(events).toEqual(["stored", "answered"]);
  });

  test("answers 500 handler_failed when the handler throws, without leaking the error", async () => {
    const base = await start(() => {
      throw new Error("database password is hunter2");
    });
    const res = await sendRaw(base, { method: "GET", path });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).code).toBe("handler_failed");
    expect(res.body).not.toContain("hunter2");
  });

  test("answers 500 when the handler rejects", async () => {
    const base = await start(() => Promise.reject(new Error("nope")));
    expect((await sendRaw(base, { method: "GET", path })).status).toBe(500);
  });

  test("answers 503 handler_timeout and aborts the signal when the handler is too slow", async () => {
    let signal: AbortSignal | undefined;
    const base = await start((_n, context) => {
      signal = context.signal;
      return new Promise((r) => setTimeout(r, 1000));
    }, 50);
    const res = await sendRaw(base, { method: "GET", path });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).code).toBe("handler_timeout");
    expect(signal?.aborted).toBe(true);
  });

  test("a signal first read after the timeout is already aborted", async () => {
    let late: Promise<boolean> | undefined;
    const base = await start((_n, context) => {
      late = new Promise((resolve) => setTimeout(() => resolve(context.signal.aborted), 150));
      return new Promise((r) => setTimeout(r, 1000));
    }, 50);
    expect((await sendRaw(base, { method: "GET", path })).status).toBe(503);
    expect(await late).toBe(true);
  });

  test("does not call the handler for a refused request", async () => {
    let called = false;
    const base = await start(() => {
      called = true;
    });
    expect((await sendRaw(base, { method: "GET", path: "/?payout=abc" })).status).toBe(422);
    expect(called).toBe(false);
  });
});

describe("fetch handler", () => {
  test("gives the context: delivery, notices, key", async () => {
    let seen: NotificationContext | undefined;
    const handler = createFetchHandler((_n, context) => {
      seen = context;
    });
    const res = await handler(new Request(`http://127.0.0.1${path.replace("PENDING", "LOCKED")}`));
    expect(res.status).toBe(200);
    expect(seen?.delivery).toBe("GET");
    expect(seen?.notices.map((n) => n.code)).toEqual(["unknown_value"]);
    expect(seen?.key).toMatch(/^v1:[0-9a-f]{64}$/);
  });
});

describe("context.key where getBuiltinModule gives no node:crypto", () => {
  const absent = {
    "returns undefined": () => undefined,
    throws: () => {
      throw new Error("Node.js is not compiled with OpenSSL crypto support");
    },
  };
  test.each(Object.entries(absent))(
    "(it %s) a handler reading it fails (500, retried) with a message saying what to do; never a shared stand-in key",
    async (_, noCrypto) => {
      const proc = process as { getBuiltinModule?: ((id: string) => unknown) | undefined };
      const original = proc.getBuiltinModule;
      proc.getBuiltinModule = (id: string) => (id === "node:crypto" ? noCrypto() : original?.(id));
      vi.resetModules();
      try {
        // Loaded afresh, so notification-key.ts captures the patched getBuiltinModule.
        const { runNotificationHandler } = await import("../../src/handler/handle-notification.js");
        const { validateEventNotification } = await import("../../src/validate-event-notification.js");
        const errors: unknown[] = [];
        const keys: string[] = [];
        const read = (n: { action_id: string }) => {
          const verdict = validateEventNotification({ action_id: n.action_id });
          if (!verdict.ok) throw new Error("the probe notification was refused");
          return runNotificationHandler(
            verdict,
            (_n, context) => {
              keys.push(context.key);
            },
            { onError: (error) => errors.push(error) },
          );
        };
        const first = read({ action_id: "1000.1.1" });
        const second = read({ action_id: "1000.1.2" });
        expect(first).toMatchObject({ ok: false, status: 500 });
        expect(second).toMatchObject({ ok: false, status: 500 });
        expect(keys).toEqual([]);
        expect(String(errors[0])).toMatch(/node:crypto.*await notificationKey/);
      } finally {
        proc.getBuiltinModule = original;
        vi.resetModules();
      }
    },
  );
});

describe("notificationKey", () => {
  test("v1 format is stable: sorted keys, arrays in order, values byte-exact", async () => {
    const n = { b: "2", a: ["x", { d: "1", c: "Base44 " }], "é/~": "" };
    const canonical = '{"a":["x",{"c":"Base44 ","d":"1"}],"b":"2","é/~":""}';
    expect(canonicalJson(n)).toBe(canonical);
    const { createHash } = await import("node:crypto");
    expect(await notificationKey(n)).toBe(`v1:${createHash("sha256").update(canonical).digest("hex")}`);
  });

  test("node:crypto and WebCrypto give the same key (Fetch runtimes use WebCrypto)", async () => {
    const n = { action_id: "1000.4636.158133", status: "APPROVED", payout: "5.00", name: "Ünïcode ✓" };
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(n)));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(await notificationKey(n)).toBe(`v1:${hex}`);
  });

  const base = { action_id: "1000.1.2", status: "PENDING", payout: "5.00", items: [{ sku: "A", qty: "1" }] };
  test("is the same for a retry, whatever the key order", async () => {
    const reordered = { items: [{ qty: "1", sku: "A" }], payout: "5.00", status: "PENDING", action_id: "1000.1.2" };
    expect(await notificationKey(reordered)).toBe(await notificationKey(base));
  });
  test("changes with a lifecycle update (status, payout) or item order", async () => {
    const key = await notificationKey(base);
    expect(await notificationKey({ ...base, status: "REVERSED" })).not.toBe(key);
    expect(await notificationKey({ ...base, payout: "0.00" })).not.toBe(key);
    expect(await notificationKey({ ...base, items: [...base.items, { sku: "B" }] })).not.toBe(key);
  });
  test("keeps values exactly (a trailing space is data)", async () => {
    expect(await notificationKey({ name: "Base44 " })).not.toBe(await notificationKey({ name: "Base44" }));
  });
  test("can be restricted to chosen fields", async () => {
    const fields = ["action_id", "status"];
    expect(await notificationKey({ ...base, sent_at: "1" }, { fields })).toBe(
      await notificationKey({ ...base, sent_at: "2" }, { fields }),
    );
  });
});
