/**
 * A partner's own templates, from the installed package only, as the README tells it: `npm pack`,
 * install the tarball into a fresh project holding impact/*.template.json|yaml, run
 * `npx impact-event-notifications generate` there, type-check a handler with `tsc --strict`,
 * run it on node:http on 127.0.0.1, and send it valid and invalid notifications with `send`.
 * Nothing here reads the repository but the tarball.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const project = mkdtempSync(join(tmpdir(), "own-templates-"));
const devPins = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies as Record<string, string>;

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command in the project; resolves with its exit code and output, whatever the code. */
async function run(command: string, args: readonly string[]): Promise<Ran> {
  try {
    const { stdout, stderr } = await exec(command, [...args], { cwd: project, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
const cli = (...args: string[]) => run("npx", ["--no-install", "impact-event-notifications", ...args]);

const meTemplate = {
  description: "Our lifecycle postback, as typed into impact.com.",
  kind: "action_lifecycle",
  method: "GET",
  url: "https://partner.example/impact?cid={SubId1}&payout={Payout}&txid={ActionId}&status={Status}",
  required: ["payout", "txid", "status"],
};
const shopTemplate = `kind: action_lifecycle
method: POST
url: https://partner.example/impact/shop
body: |
  { "order": { "id": "{ActionId}", "total": "{Amount}", "status": "{Status}" }, "payout": "{Payout}" }
`;

/** A handler as a partner writes it; the @ts-expect-error fails tsc if the template had `Payout`. */
const server = `import { createServer } from "node:http";
import { createNodeHandler } from "impact-event-notifications/node";
import { contracts } from "./impact-contracts/index.js";

const handler = createNodeHandler(
  (notification, context) => {
    const payout: string = notification.payout;
    // @ts-expect-error the template maps {Payout} under "payout": there is no "Payout" key
    notification.Payout;
    process.stdout.write(\`\${JSON.stringify({ contract: context.contract, payout, txid: notification.txid })}\\n\`);
  },
  { contract: contracts.me },
);
const httpServer = createServer(handler);
httpServer.listen(0, "127.0.0.1", () => {
  const address = httpServer.address();
  if (typeof address === "object" && address !== null) process.stdout.write(\`port \${address.port}\\n\`);
});
process.on("SIGTERM", () => httpServer.close());
`;

let receiver: ChildProcess | undefined;
let received = "";
let origin = "";

beforeAll(async () => {
  if (!existsSync(join(root, "dist/cli.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const packed = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", project], {
    cwd: root,
  });
  const tarball = join(project, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? "");
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "partner-service", private: true, type: "module" }),
  );
  mkdirSync(join(project, "impact"));
  writeFileSync(join(project, "impact/me.template.json"), JSON.stringify(meTemplate, null, 2));
  writeFileSync(join(project, "impact/shop.template.yaml"), shopTemplate);
  const installed = await run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    tarball,
    `typescript@${devPins.typescript}`,
    `@types/node@${devPins["@types/node"]}`,
  ]);
  if (installed.code !== 0) throw new Error(`npm install failed: ${installed.stderr.slice(-2000)}`);
}, 300_000);

afterAll(() => {
  receiver?.kill("SIGKILL");
  rmSync(project, { recursive: true, force: true });
});

describe("a partner's own templates, from the installed package", () => {
  test("generate writes the contracts into ./impact-contracts, and --check then passes", async () => {
    const generated = await cli("generate");
    expect(generated.code, generated.stderr).toBe(0);
    for (const file of [
      "index.js",
      "index.d.ts",
      "me/openapi.json",
      "me/types.d.ts",
      "me/validators.js",
      "shop/openapi.json",
    ]) {
      expect(existsSync(join(project, "impact-contracts", file)), file).toBe(true);
    }
    expect((await cli("generate", "--check")).code).toBe(0);
  }, 120_000);

  test("a handler type-checks with tsc --strict, template keys only", async () => {
    writeFileSync(join(project, "server.ts"), server);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          skipLibCheck: false,
          types: ["node"],
        },
        include: ["server.ts"],
      }),
    );
    const checked = await run("npx", ["--no-install", "tsc", "-p", "."]);
    expect(checked.code, checked.stdout).toBe(0);
    // The same handler reading a key the template lacks does not compile.
    writeFileSync(
      join(project, "server.ts"),
      server.replace("    // @ts-expect-error the template maps", "    // the template maps"),
    );
    const refused = await run("npx", ["--no-install", "tsc", "-p", ".", "--noEmit"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/Property 'Payout' does not exist/);
    writeFileSync(join(project, "server.ts"), server);
  }, 120_000);

  test("the handler receives on node:http what send sends, and refuses what the template forbids", async () => {
    const child = spawn(process.execPath, ["server.js"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    receiver = child;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      received += chunk;
    });
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver did not start: ${received}`)), 20_000);
      child.stdout.on("data", () => {
        const found = /port (\d+)/.exec(received)?.[1];
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    origin = `http://127.0.0.1:${port}`;
    const valid = await cli(
      "send",
      "--to",
      origin,
      "--contract",
      "me",
      "--set",
      "payout=12.50",
      "--set",
      "txid=1000.4636.158133",
    );
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/✔ GET http:\/\/127\.0\.0\.1:\d+\/impact → 200/);
    const comma = await cli("send", "--to", origin, "--contract", "me", "--set", "payout=5,00");
    expect(comma.code).toBe(1);
    expect(comma.stdout).toMatch(/→ 422/);
    const macro = await cli("send", "--to", origin, "--contract", "me", "--set", "status={Status}");
    expect(macro.code).toBe(1);
    expect(macro.stdout).toMatch(/unsubstituted_macro|→ 422/);
    await new Promise((r) => setTimeout(r, 200));
    const lines = received
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines).toEqual([{ contract: "me", payout: "12.50", txid: "1000.4636.158133" }]);
  }, 120_000);

  test("validate and listen use the project's contracts without being told where they are", async () => {
    const file = join(project, "captured.log");
    writeFileSync(
      file,
      "/impact?cid=abc&payout=5,00&txid=1000.1.2&status=APPROVED\n/impact?cid=abc&payout=5.00&txid=1000.1.2&status=APPROVED\n",
    );
    const checked = await cli("validate", "captured.log");
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/line 1: invalid GET \[me\] invalid_notification: \/payout/);
    expect(checked.stdout).toMatch(/line 2: valid GET \[me\]/);
    expect(checked.stdout).toMatch(/2 checked, 1 valid, 1 invalid/);

    // node itself, not npx: a signal to npx does not reach the receiver.
    const bin = join(project, "node_modules/impact-event-notifications/dist/cli.js");
    const listen = spawn(process.execPath, [bin, "listen", "--port", "0", "--json"], {
      cwd: project,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    listen.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`listen did not start: ${out}`)), 20_000);
        listen.stdout.on("data", () => {
          const event = /\{"event":"listening","url":"([^"]+)"/.exec(out)?.[1];
          if (event !== undefined) {
            clearTimeout(timer);
            resolve(event);
          }
        });
      });
      expect(out).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/impact \(contract \\"me\\"\)/);
      const shop = await cli("send", "--to", url, "--contract", "shop");
      expect(shop.code, shop.stdout + shop.stderr).toBe(0);
      expect(shop.stdout).toMatch(/✔ POST http:\/\/127\.0\.0\.1:\d+\/impact\/shop → 200/);
      const elsewhere = await fetch(`${url}/elsewhere?payout=5.00`);
      expect(elsewhere.status).toBe(404);
    } finally {
      listen.kill("SIGTERM");
    }
  }, 120_000);
});
