/**
 * A partner's own templates, from the installed package only, as the README's "Your own templates"
 * tells it, word for word: `npm pack`, install the tarball into a fresh project holding the README's
 * impact/me.template.json (and a YAML POST template), run `npx impact-event-notifications generate`
 * there, type-check the README's server.ts with `tsc --strict` (its @ts-expect-error on a key the
 * template lacks must hold), run it on node:http on 127.0.0.1, and run the README's `send` lines
 * against it. Nothing here reads the repository but the tarball and the README.
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

const readme = readFileSync(join(root, "README.md"), "utf8");
const section = readme.slice(
  readme.indexOf("## Your own templates"),
  readme.indexOf("\n## ", readme.indexOf("## Your own templates") + 3),
);
const blockOf = (lang: string) => {
  const found = new RegExp(`\`\`\`${lang}\n([\\s\\S]*?)\`\`\``).exec(section)?.[1];
  if (found === undefined) throw new Error(`README "Your own templates" has no \`\`\`${lang} block`);
  return found;
};
const meTemplate = blockOf("json");
const server = blockOf("ts");
/** The README's `send` lines, as argument lists (comments dropped), in order. */
const sends = [...section.matchAll(/^npx impact-event-notifications (send [^#\n]*?)\s*(?:#.*)?$/gm)].map((m) =>
  (m[1] as string).split(" "),
);
const shopTemplate = `kind: action_lifecycle
method: POST
url: https://partner.example/impact/shop
body: |
  { "order": { "id": "{ActionId}", "total": "{Amount}", "status": "{Status}" }, "payout": "{Payout}" }
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
  writeFileSync(join(project, "impact/me.template.json"), meTemplate);
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
    expect(server).toContain("// @ts-expect-error");
    writeFileSync(join(project, "server.ts"), server.replace("// @ts-expect-error", "//"));
    const refused = await run("npx", ["--no-install", "tsc", "-p", ".", "--noEmit"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/Property 'Payout' does not exist/);
    writeFileSync(join(project, "server.ts"), server);
  }, 120_000);

  test("the handler receives on node:http what the README's send lines send, and refuses the invalid ones", async () => {
    const child = spawn(process.execPath, ["server.js"], {
      cwd: project,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, PORT: "0" },
    });
    receiver = child;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      received += chunk;
    });
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver did not start: ${received}`)), 20_000);
      child.stdout.on("data", () => {
        const found = /Receiving on http:\/\/127\.0\.0\.1:(\d+)\/impact/.exec(received)?.[1];
        if (found !== undefined) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    origin = `http://127.0.0.1:${port}`;
    expect(sends).toHaveLength(3);
    const [valid, comma, macro] = sends.map((args) => args.map((a) => a.replace("http://127.0.0.1:3000", origin)));
    const accepted = await cli(...(valid as string[]), "--set", "payout=12.50", "--set", "txid=1000.4636.158133");
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/✔ GET http:\/\/127\.0\.0\.1:\d+\/impact → 200/);
    const refused = await cli(...(comma as string[]));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/→ 422 invalid_notification: \/payout/);
    const unsubstituted = await cli(...(macro as string[]));
    expect(unsubstituted.code).toBe(1);
    expect(unsubstituted.stdout).toMatch(/→ 422 invalid_notification: \/status .*macro/);
    await new Promise((r) => setTimeout(r, 200));
    const lines = received.split("\n").filter((l) => l.startsWith("received "));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^received me 1000\.4636\.158133 12\.50 \S+$/);
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
      // listen recorded into the project's own inbox, through the driver the install brought
      // (better-sqlite3, an optional dependency; node:sqlite where it cannot load).
      expect(out).toContain(`"inbox":${JSON.stringify(join(project, ".impact-inbox.sqlite"))}`);
      const listed = await cli("inbox", "list", "--json");
      expect(listed.code, listed.stderr).toBe(0);
      const rows = listed.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { contract?: string; status?: string });
      expect(rows.filter((r) => r.status !== undefined).map((r) => [r.contract, r.status])).toContainEqual([
        "shop",
        "pending",
      ]);
      // And the subpath, imported from the project as a user's code would.
      const read = await run(process.execPath, [
        "--input-type=module",
        "-e",
        `import { createInbox, sqliteInbox } from "impact-event-notifications/inbox";
         const inbox = await createInbox(sqliteInbox({ file: ".impact-inbox.sqlite" }));
         console.log(JSON.stringify(await inbox.counts()));
         await inbox.close();`,
      ]);
      expect(read.code, read.stderr).toBe(0);
      expect(JSON.parse(read.stdout)).toMatchObject({ pending: 1 });
    } finally {
      listen.kill("SIGTERM");
    }
  }, 120_000);
});
