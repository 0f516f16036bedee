/**
 * "README example" tests: every ```ts block of the README's "Verifying whole requests" section is
 * extracted, its package imports pointed at src/, written to a temp file, imported, and driven over
 * real HTTP on 127.0.0.1 (port 0). Editing an example without keeping it working fails here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterAll, expect, test } from "vitest";
import { closeServer, listenLocal, sendRaw } from "../helpers/http.js";
import { lambdaEmulator } from "../helpers/lambda-emulator.js";

const root = join(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const start = readme.indexOf("## Verifying whole requests");
// The Node example is in the README; the other adapters' are in docs/adapters.md.
const section = `${readme.slice(start, readme.indexOf("\n## ", start + 3))}\n${readFileSync(join(root, "docs/adapters.md"), "utf8")}`;
const blocks = section
  .split("\n### ")
  .slice(1)
  .flatMap((part) => {
    const code = /```ts\n([\s\S]*?)```/.exec(part)?.[1];
    return code === undefined ? [] : [{ title: part.slice(0, part.indexOf("\n")), code }];
  });
const dir = mkdtempSync(join(tmpdir(), "readme-examples-"));
const saved: unknown[] = [];
(globalThis as { __readmeSaved?: unknown[] }).__readmeSaved = saved;
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
  rmSync(dir, { recursive: true, force: true });
});

const entry = (sub: string) => join(root, "src", sub === "" ? "index.ts" : `adapters/${sub.slice(1)}.ts`);

async function load(title: string): Promise<Record<string, unknown>> {
  const block = blocks.find((b) => b.title.startsWith(title));
  if (block === undefined) throw new Error(`README has no example under "### ${title}"`);
  const code = block.code.replace(/"impact-event-notifications(\/\w+)?"/g, (_m, sub: string | undefined) =>
    JSON.stringify(entry(sub ?? "")),
  );
  const file = join(dir, `${title.replace(/\W+/g, "-")}.ts`);
  const prelude =
    "const save = async (key: string, n: unknown) => { (globalThis as any).__readmeSaved.push({ key, n }); };\n";
  writeFileSync(file, prelude + code);
  return (await import(file)) as Record<string, unknown>;
}

const ok = "/impact?token=s3cret&action_id=1000.1.2&status=APPROVED&payout=5.00";

async function check(base: string, path = ok) {
  const before = saved.length;
  const good = await sendRaw(base, { method: "GET", path });
  expect(good.status).toBe(200);
  expect(saved.length).toBe(before + 1);
  expect(saved.at(-1)).toMatchObject({ key: expect.stringMatching(/^v1:/), n: { action_id: "1000.1.2" } });
  const bad = await sendRaw(base, { method: "GET", path: path.replace("s3cret", "wrong") });
  expect(bad.status).toBe(401);
}

test("README and docs/adapters.md have an example per framework", () => {
  expect(blocks.map((b) => b.title)).toEqual([
    "Node `http`",
    "Express 4 and 5",
    "Fastify 5",
    "Fetch runtimes (Hono, Next.js, Deno, Bun, Workers)",
    "AWS Lambda (API Gateway v1 and v2, Function URLs)",
  ]);
});

test("README example: Node http", async () => {
  const { server } = (await load("Node")) as { server: Server };
  servers.push(server);
  // The example bounds slow clients and refuses over-limit `Expect: 100-continue` from the head.
  expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout]).toEqual([10_000, 15_000, 5_000]);
  expect(server.listenerCount("checkContinue")).toBe(1);
  expect(server.listenerCount("clientError")).toBe(1);
  await check(await listenLocal(server));
});

test("README example: Express", async () => {
  const { app } = (await load("Express")) as { app: Parameters<typeof createServer>[1] };
  const server = createServer(app);
  servers.push(server);
  await check(await listenLocal(server));
});

test("README example: Fastify", async () => {
  const { app } = (await load("Fastify")) as {
    app: { listen(o: object): Promise<string>; close(): Promise<void> };
  };
  const base = await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    await check(base);
  } finally {
    await app.close();
  }
});

test("README example: Hono (Fetch)", async () => {
  const { app } = (await load("Fetch")) as { app: { fetch: (r: Request) => Response | Promise<Response> } };
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }) as Server;
  servers.push(server);
  await new Promise<void>((r) => (server.listening ? r() : server.once("listening", () => r())));
  const port = (server.address() as { port: number }).port;
  await check(`http://127.0.0.1:${port}`);
});

test("README example: Lambda", async () => {
  const { handler } = (await load("AWS Lambda")) as { handler: Parameters<typeof lambdaEmulator>[0] };
  for (const version of ["1.0", "2.0"] as const) {
    const server = lambdaEmulator(handler, version);
    servers.push(server);
    await check(await listenLocal(server));
  }
});
