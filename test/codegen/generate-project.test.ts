/**
 * `impact-event-notifications generate` in a user's project: the real CLI (src/cli/main.ts
 * through tsx) in scratch projects under the OS temp folder, each with its own package.json and
 * templates, as a partner who installed the package would run it.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { exitCodes } from "../../src/cli/exit-codes.js";

const exec = promisify(execFile);
const root = join(import.meta.dirname, "../..");
const tsx = join(root, "node_modules/.bin/tsx");
const main = join(root, "src/cli/main.ts");
const scratch = mkdtempSync(join(tmpdir(), "generate-project-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ME_TEMPLATE = {
  kind: "action_lifecycle",
  method: "GET",
  url: "https://partner.example/impact?cid={SubId1}&payout={Payout}&txid={ActionId}&status={Status}",
};
const ORDER_TEMPLATE = `# A POST template, as YAML: the body is pasted as it is entered in impact.com.
kind: action_lifecycle
method: POST
url: https://partner.example/impact/order
body: |
  {
    "action_id": "{ActionId}",
    "status": "{Status}",
    "payout": "{Payout}",
    "currency": "{Currency}"
  }
required: [action_id]
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function generate(cwd: string, args: string[] = []): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(tsx, [main, "generate", ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let projects = 0;
/** A scratch project: package.json (ESM unless `commonjs`), impact/me.template.json and impact/order.template.yaml. */
function project(options: { commonjs?: boolean; templates?: string } = {}): string {
  const dir = join(scratch, `project-${++projects}`);
  const templates = join(dir, options.templates ?? "impact");
  mkdirSync(templates, { recursive: true });
  const manifest = { name: `scratch-${projects}`, private: true, ...(options.commonjs ? {} : { type: "module" }) };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
  writeFileSync(join(templates, "me.template.json"), `${JSON.stringify(ME_TEMPLATE, null, 2)}\n`);
  writeFileSync(join(templates, "order.template.yaml"), ORDER_TEMPLATE);
  return dir;
}

function tree(dir: string, base = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, tree(path, base));
    else
      out[
        path
          .slice(base.length + 1)
          .split("\\")
          .join("/")
      ] = readFileSync(path, "utf8");
  }
  return out;
}

async function node(cwd: string, args: string[]): Promise<unknown> {
  const { stdout } = await exec(process.execPath, args, { cwd });
  return JSON.parse(stdout);
}

const VALID_QUERY = { cid: "sub-1", payout: "5.00", txid: "1000.2000.3000", status: "PENDING" };
/** Imports the generated registry and runs the `me` contract's validator on a valid and a comma payout. */
const probe = (load: string) => `${load}
  const get = contracts.me.operations.GET;
  const ok = get.validate(${JSON.stringify(VALID_QUERY)});
  const bad = get.validate(${JSON.stringify({ ...VALID_QUERY, payout: "5,00" })});
  const post = contracts.order.operations.POST.validate({ action_id: "1.2.3", status: "APPROVED", payout: "1.00", currency: "USD" });
  console.log(JSON.stringify({ names: Object.keys(contracts), ok, bad, error: get.validate.errors?.[0]?.instancePath ?? null,
    post, template: contracts.me.template, sources: contracts.me.sources, isDefault: def === contracts }));`;

describe("generate in an ES module project", () => {
  const dir = project();
  let first: Run;

  test("writes the registry, its declarations and every contract's files", async () => {
    first = await generate(dir);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^✔ impact-contracts\/me\/ \(GET query; \d+ ms\)$/m);
    expect(first.stdout).toMatch(/^✔ impact-contracts\/order\/ \(POST body; \d+ ms\)$/m);
    expect(first.stdout).toMatch(/^✔ wrote impact-contracts\/ from impact\/ \(11 files, 2 contracts, ESM; \d+ ms\)$/m);
    const files = tree(join(dir, "impact-contracts"));
    expect(Object.keys(files).sort()).toEqual([
      "index.d.ts",
      "index.js",
      "me/openapi.json",
      "me/types.d.ts",
      "me/validators.d.ts",
      "me/validators.js",
      "order/openapi.json",
      "order/types.d.ts",
      "order/validators.d.ts",
      "order/validators.js",
      "package.json",
    ]);
    const manifest = JSON.parse(files["package.json"] as string);
    expect(manifest).toMatchObject({ type: "module", main: "./index.js", types: "./index.d.ts" });
    for (const [file, text] of Object.entries(files)) {
      const head = file.endsWith(".json")
        ? (JSON.parse(text)["x-generated"] ?? JSON.parse(text)["//"])
        : text.split("\n")[0];
      expect(head, file).toMatch(/@generated by impact-event-notifications generate from impact\/.* — DO NOT EDIT\./);
      expect(head, file).toContain("Run `npx impact-event-notifications generate`");
    }
    expect(files["me/openapi.json"]).toContain(
      '"x-generated": "@generated by impact-event-notifications generate from impact/me.template.json',
    );
    // Self-contained validators: nothing to install at run time.
    for (const file of ["me/validators.js", "order/validators.js"]) {
      expect(files[file], file).not.toMatch(/\brequire\(|^import\s/m);
    }
    expect(files["index.d.ts"]).toContain('import type { Contract } from "impact-event-notifications";');
    expect(files["index.d.ts"]).toContain(
      'readonly "me": Contract<"me", ContractTypes["me"], { readonly kind: "action_lifecycle"; readonly delivery: "GET"; readonly path: "/impact"; readonly source: "impact/me.template.json"; readonly actionIdField: "txid" }>;',
    );
    expect(files["index.d.ts"]).toContain(
      'readonly "me": { readonly GET: NonNullable<t0.operations["receiveMe"]["parameters"]["query"]> };',
    );
    expect(files["index.d.ts"]).toContain(
      'readonly "order": { readonly POST: NonNullable<t1.operations["receiveOrder"]["requestBody"]>["content"]["application/json"] };',
    );
    expect(files["index.d.ts"]).toContain("export type ContractName = keyof typeof contracts;");
  });

  test("import() of index.js gives contracts whose validators accept a valid query and refuse payout 5,00", async () => {
    const result = await node(dir, [
      "--input-type=module",
      "-e",
      probe('import def, { contracts } from "./impact-contracts/index.js";'),
    ]);
    expect(result).toEqual({
      names: ["me", "order"],
      ok: true,
      bad: false,
      error: "/payout",
      post: true,
      template: {
        kind: "action_lifecycle",
        delivery: "GET",
        path: "/impact",
        source: "impact/me.template.json",
        actionIdField: "txid",
      },
      sources: ["impact/me.template.json"],
      isDefault: true,
    });
  });

  test("is deterministic: a second run writes the same bytes", async () => {
    const before = tree(join(dir, "impact-contracts"));
    expect((await generate(dir)).code).toBe(0);
    expect(tree(join(dir, "impact-contracts"))).toEqual(before);
  });

  test("--check passes on a fresh output, then fails naming the file once a template changed", async () => {
    const fresh = await generate(dir, ["--check"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toMatch(/✔ impact-contracts\/ is up to date with impact\//);
    const file = join(dir, "impact/me.template.json");
    writeFileSync(file, JSON.stringify({ ...ME_TEMPLATE, url: `${ME_TEMPLATE.url}&amount={Amount}` }));
    const stale = await generate(dir, ["--check"]);
    expect(stale.code).toBe(exitCodes.rejected);
    expect(stale.stderr).toContain("impact-contracts/ is out of date with impact/");
    expect(stale.stderr).toMatch(/impact-contracts\/me\/openapi\.json \(differs\)/);
    expect(stale.stderr).toMatch(/impact-contracts\/me\/types\.d\.ts \(differs\)/);
    expect(stale.stderr).not.toContain("impact-contracts/order/");
    expect(stale.stderr).toContain("Run `npx impact-event-notifications generate`");
  });

  test("writes from a clean slate: a removed template's folder goes", async () => {
    rmSync(join(dir, "impact/order.template.yaml"));
    expect((await generate(dir)).code).toBe(0);
    const files = Object.keys(tree(join(dir, "impact-contracts")));
    expect(files.some((f) => f.startsWith("order/"))).toBe(false);
    expect(readFileSync(join(dir, "impact-contracts/index.js"), "utf8")).not.toContain("order");
  });
});

describe.concurrent("generate in a CommonJS project", () => {
  test("also writes index.cjs, index.d.cts and validators.cjs; require() of the folder works", async () => {
    const dir = project({ commonjs: true });
    const run = await generate(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ESM and CommonJS");
    const files = Object.keys(tree(join(dir, "impact-contracts")));
    for (const file of [
      "index.cjs",
      "index.d.cts",
      "index.js",
      "index.d.ts",
      "me/validators.cjs",
      "me/validators.d.cts",
      "order/validators.cjs",
    ]) {
      expect(files, file).toContain(file);
    }
    const manifest = JSON.parse(readFileSync(join(dir, "impact-contracts/package.json"), "utf8"));
    expect(manifest).toMatchObject({ type: "module", main: "./index.cjs", types: "./index.d.cts" });
    const expected = { names: ["me", "order"], ok: true, bad: false, error: "/payout", post: true, isDefault: true };
    const required = await node(dir, [
      "-e",
      probe('const { contracts } = require("./impact-contracts"); const def = require("./impact-contracts").default;'),
    ]);
    expect(required).toMatchObject(expected);
    const imported = await node(dir, [
      "--input-type=module",
      "-e",
      probe('import def, { contracts } from "./impact-contracts/index.js";'),
    ]);
    expect(imported).toMatchObject(expected);
  });
});

describe.concurrent("lint errors, configuration and refusals", () => {
  test("a lint error exits 1 with every finding: file, line and column, and the fix; nothing is written", async () => {
    const dir = project();
    writeFileSync(
      join(dir, "impact/bad.template.json"),
      JSON.stringify({
        kind: "action_lifecycle",
        method: "GET",
        url: "https://p.example/x?a={ActionId}&s={Status}&p={Payot}",
      }),
    );
    writeFileSync(
      join(dir, "impact/worse.template.yaml"),
      'kind: action_lifecycle\nmethod: POST\nurl: https://p.example/y\nbody: |\n  { "id": "{ActionId}", "status": {Status} }\n',
    );
    const run = await generate(dir);
    expect(run.code).toBe(exitCodes.rejected);
    expect(run.stderr).toMatch(/✖ impact\/bad\.template\.json url:1:\d+ unknown_macro: Unknown macro \{Payot\}/);
    expect(run.stderr).toMatch(/fix: Replace \{Payot\} with \{Payout\}/);
    expect(run.stderr).toMatch(/the template lint found 2 error\(s\)/);
    expect(run.stderr).toMatch(/✖ impact\/worse\.template\.yaml body:1:\d+ unquoted_macro: .*\n {4}fix: /);
    expect(run.stderr).toContain("`npx impact-event-notifications generate`");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir)).not.toContain("impact-contracts");
  });

  test("impact-notifications.config.json sets the defaults, relative to itself; flags override it", async () => {
    const dir = project({ templates: "notifications/templates", commonjs: true });
    writeFileSync(
      join(dir, "impact-notifications.config.json"),
      JSON.stringify({
        $schema: "./schema.json",
        templates: "notifications/templates",
        out: "src/contracts",
        commonjs: false,
      }),
    );
    const run = await generate(dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ src\/contracts\/me\/ \(GET query/);
    const files = Object.keys(tree(join(dir, "src/contracts")));
    expect(files).toContain("index.js");
    expect(files).not.toContain("index.cjs"); // commonjs: false wins over the CommonJS package.json
    const overridden = await generate(dir, ["--out", "elsewhere"]);
    expect(overridden.code).toBe(0);
    expect(Object.keys(tree(join(dir, "elsewhere")))).toContain("me/types.d.ts");
  });

  test("a YAML configuration passed with --config is read relative to its own folder", async () => {
    const dir = project({ templates: "config/tpl" });
    writeFileSync(join(dir, "config/impact.yaml"), "templates: tpl\nout: ../generated/impact\n");
    const run = await generate(dir, ["--config", "config/impact.yaml"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✔ wrote generated/impact/ from config/tpl/");
  });

  test("an unknown configuration key is refused, naming the known ones", async () => {
    const dir = project();
    writeFileSync(join(dir, "impact-notifications.config.yaml"), "templates: impact\ntempaltes: x\n");
    const run = await generate(dir);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('impact-notifications.config.yaml: unknown key "tempaltes"');
    expect(run.stderr).toContain("known keys: $schema, templates, openapi, out, commonjs");
  });

  test("no templates folder: says how to create one, exit code usage", async () => {
    const dir = join(scratch, "empty");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), "{}");
    const run = await generate(dir);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/No templates folder impact\/\. Create impact\/<name>\.template\.json, e\.g\. .*"kind"/);
    expect(run.stderr).toContain("or pass --templates DIR");
  });

  test("refuses to replace a non-empty folder it did not write", async () => {
    const dir = project();
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src/app.ts"), "export {};\n");
    const run = await generate(dir, ["--out", "src"]);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stderr).toMatch(/src\/ is not empty and was not written by `impact-event-notifications generate`/);
    expect(readFileSync(join(dir, "src/app.ts"), "utf8")).toBe("export {};\n");
  });

  test("contract folders (--openapi) are generated next to templates", async () => {
    const dir = project();
    cpSync(join(root, "openapi/documented"), join(dir, "contracts/documented"), { recursive: true });
    const run = await generate(dir, ["--openapi", "contracts"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✔ impact-contracts\/documented\/ \(GET query, POST body/);
    const index = readFileSync(join(dir, "impact-contracts/index.d.ts"), "utf8");
    expect(index).toMatch(/readonly "documented": Contract<"documented", ContractTypes\["documented"\], undefined>;/);
    const document = JSON.parse(readFileSync(join(dir, "impact-contracts/documented/openapi.json"), "utf8"));
    expect(document["x-generated"]).toContain("from contracts/documented/");
  });
});
