/**
 * The package as a user gets it: `npm pack`, install the tarball into a scratch project, then
 * `import` and `require` it. ajv, esbuild, openapi-typescript and yaml are dependencies (for
 * `generate` and `…/compile`), but the root entry and the adapters never load them: nothing
 * compiles schemas at run time there. Also checks the packaging with publint and attw, and runs
 * the README example there.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const run = promisify(execFile);
const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "package-test-"));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string };
let tarball = "";

beforeAll(async () => {
  if (!existsSync(join(root, "dist/index.js")))
    throw new Error("dist/ is missing: run `npm run build` (npm test does)");
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], {
    cwd: root,
  });
  tarball = join(scratch, (JSON.parse(stdout) as { filename: string }[])[0]?.filename ?? "");
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", tarball], {
    cwd: scratch,
  });
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const probe = `
  const r = m.validateEventNotification({ payout: 5 });
  const g = m.validateEventNotification("status=A&status=B");
  console.log(JSON.stringify([typeof m.parseEventNotification, r.ok, r.error.issues[0].path, g.ok]));`;

/** The generator's packages: only `generate` (lazily) and `…/compile` (ajv, ajv-formats) may load them. */
const GENERATOR_PACKAGES = ["ajv", "ajv-formats", "yaml", "openapi-typescript", "typescript", "esbuild"];
const RUNTIME_ENTRIES = ["index", "node", "express", "fastify", "lambda", "testing", "money", "macros"];

/** The tooling subpaths and what each exports at run time; none of it is on the root entry. */
const TOOL_SUBPATHS: Record<string, readonly string[]> = {
  testing: ["IMPACT_USER_AGENT", "createNotificationSender", "sampleNotification", "seededRandom"],
  money: [
    "addDecimals",
    "compareDecimals",
    "fromMinorUnits",
    "isDecimal",
    "normalizeDecimal",
    "parseDecimal",
    "toMinorUnits",
  ],
  macros: ["eventKinds", "findMacro", "macroCatalogue", "suggestMacros"],
};
/** Types exported by the tooling subpaths, which the root entry's types must not export either. */
const TOOL_TYPES: Record<string, readonly string[]> = {
  testing: [
    "ContractDocument",
    "NotificationSender",
    "NotificationSenderOptions",
    "Random",
    "SampleOptions",
    "SendInput",
    "SendResult",
  ],
  money: ["ExactDecimal"],
  macros: ["EventKind", "Evidence", "MacroFormat", "MacroSpec"],
};

/** Uses one export of each tooling subpath, and prints what it got (the same from import and require). */
const toolProbe = (m: { testing: string; money: string; macros: string }) => `
  const random = ${m.testing}.seededRandom(7);
  console.log(JSON.stringify([
    ${m.testing}.IMPACT_USER_AGENT,
    typeof ${m.testing}.createNotificationSender({ baseUrl: "http://127.0.0.1:9/x" }).send,
    random() === ${m.testing}.seededRandom(7)(),
    String(${m.money}.toMinorUnits("100.05")),
    ${m.money}.addDecimals("100.00", "-5.00"),
    ${m.macros}.findMacro("action_lifecycle", "Payout").format,
    ${m.macros}.suggestMacros("Payuot", ["Payout", "Amount"]),
  ]));`;
const toolProbeResult = ["Impact-Postback-Client/1.0", "function", true, "10005", "95", "decimal", ["Payout"]];

type Edge = { readonly path: string; readonly kind: string; readonly external?: boolean };

/**
 * What a built file loads: esbuild parses it (and every dist file it reaches) and reports each
 * import, require() and import() with its kind, so a specifier in a comment or a string does not count.
 */
async function importGraph(entry: string): Promise<Record<string, { imports: Edge[] }>> {
  const result = await build({
    entryPoints: [join("dist", entry)],
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    packages: "external",
    logLevel: "silent",
  });
  return result.metafile.inputs as Record<string, { imports: Edge[] }>;
}

const packageOf = (specifier: string) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] as string);

/** The packages `entry` loads, and the dist files it reaches; `dynamic: false` stops at import(). */
async function loads(entry: string, dynamic: boolean): Promise<{ packages: string[]; files: string[] }> {
  const graph = await importGraph(entry);
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const edge of graph[file]?.imports ?? []) {
      if (!dynamic && edge.kind === "dynamic-import") continue;
      if (edge.external === true) packages.add(packageOf(edge.path.replace(/^node:/, "")));
      else visit(edge.path);
    }
  };
  visit(`dist/${entry}`);
  return { packages: [...packages].sort(), files: [...files].sort() };
}

const builtins = new Set(["fs", "path", "url", "module", "crypto", "util", "http", "net", "os", "stream", "events"]);

describe("the built files", () => {
  test.each(RUNTIME_ENTRIES.flatMap((e) => [`${e}.js`, `${e}.cjs`]))(
    "dist/%s loads none of ajv, ajv-formats, yaml, openapi-typescript, typescript, esbuild",
    async (entry) => {
      const { packages, files } = await loads(entry, true);
      expect(packages.filter((p) => GENERATOR_PACKAGES.includes(p))).toEqual([]);
      // Precompiled validators only: no schema is compiled (no new Function) at run time.
      if (entry.startsWith("index.")) {
        for (const file of files) expect(readFileSync(join(root, file), "utf8"), file).not.toMatch(/\bFunction\(/);
      }
    },
  );

  test("dist/cli.js loads the generator lazily: no generator package among its static imports", async () => {
    const eager = await loads("cli.js", false);
    expect(eager.packages.filter((p) => GENERATOR_PACKAGES.includes(p))).toEqual([]);
    expect(eager.files.some((f) => /generate-contracts/.test(f))).toBe(false);
    const all = await loads("cli.js", true);
    expect(all.files.some((f) => /^dist\/generate-contracts-[\w-]+\.js$/.test(f))).toBe(true);
    expect(all.packages).toEqual(expect.arrayContaining(["esbuild", "openapi-typescript", "typescript", "ajv"]));
  });

  test.each(["compile.js", "compile.cjs"])("dist/%s loads ajv and ajv-formats only", async (entry) => {
    const { packages } = await loads(entry, true);
    expect(packages.filter((p) => !builtins.has(p))).toEqual(["ajv", "ajv-formats"]);
  });
});

describe("the packed package", () => {
  test("installs with the generator's dependencies, which loading the package and its adapters never loads", async () => {
    expect(existsSync(join(scratch, "node_modules", pkg.name))).toBe(true);
    const script = `
      ${RUNTIME_ENTRIES.map((e) => `require(${JSON.stringify(e === "index" ? pkg.name : `${pkg.name}/${e}`)});`).join("\n")}
      const loaded = Object.keys(require.cache).map((f) => f.split(/node_modules[\\/]/).pop().split(/[\\/]/)[0]);
      console.log(JSON.stringify([...new Set(loaded)].sort()));`;
    const file = join(scratch, "load-probe.cjs");
    writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file], { cwd: scratch });
    const loaded = JSON.parse(stdout) as string[];
    for (const name of GENERATOR_PACKAGES) expect(loaded, name).not.toContain(name);
    expect(loaded).toContain(pkg.name);
  });

  test("require() works", async () => {
    const { stdout } = await run(process.execPath, ["-e", `const m = require(${JSON.stringify(pkg.name)});${probe}`], {
      cwd: scratch,
    });
    expect(JSON.parse(stdout)).toEqual(["function", false, "/payout", false]);
  });

  test("import works", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", `import * as m from ${JSON.stringify(pkg.name)};${probe}`],
      {
        cwd: scratch,
      },
    );
    expect(JSON.parse(stdout)).toEqual(["function", false, "/payout", false]);
  });

  test("loading it starts no node:crypto and no openapi-fetch: they load on first use (cold start)", async () => {
    // What a receiver's start-up pays for: node:crypto (with node:stream under it) cost 4–7 ms here,
    // openapi-fetch is for sending. Both must still work once asked for.
    const loaded = `(process.moduleLoadList.includes("NativeModule crypto") ? "crypto " : "") +
      (Object.keys(require.cache).some((f) => f.includes("openapi-fetch")) ? "openapi-fetch" : "")`;
    const script = `
      const m = require(${JSON.stringify(pkg.name)});
      const before = ${loaded};
      const v = m.validateEventNotification({ action_id: "1" });
      let key;
      m.handleNotification(v, (_n, context) => { key = context.key; }).then(async () => {
        const { createNotificationSender } = require(${JSON.stringify(`${pkg.name}/testing`)});
        const sent = await createNotificationSender({ baseUrl: "http://127.0.0.1:9/x" }).send("GET", {});
        console.log(JSON.stringify({ before, after: ${loaded}, key: key.slice(0, 3), sent: sent.delivered }));
      });`;
    // A file, not -e: \`node -e\` loads node:crypto itself.
    const file = join(scratch, "cold-probe.cjs");
    writeFileSync(file, script);
    const { stdout } = await run(process.execPath, [file], { cwd: scratch });
    const result = JSON.parse(stdout) as { before: string; after: string; key: string; sent: boolean };
    expect(result.before).toBe("");
    expect(result.key).toBe("v1:");
    expect(result.sent).toBe(false);
    // The sender's dynamic import of openapi-fetch resolves its ESM build, outside require.cache.
    expect(result.after).toMatch(/^crypto /);
  });

  test("the build is minified for cold start but keeps names: a stack trace names the library's functions", async () => {
    const file = join(scratch, "stack-probe.cjs");
    writeFileSync(
      file,
      `const m = require(${JSON.stringify(pkg.name)});
       const bad = { get action_id() { throw new Error("probe"); } };
       try { m.validateEventNotification(bad); } catch (error) { console.log(error.stack); }`,
    );
    const { stdout } = await run(process.execPath, [file], { cwd: scratch });
    // The throwing getter is read by the forbidden-key scan, called from the library's own code.
    expect(stdout).toMatch(/at findForbiddenKey \(.*dist\/index\.cjs:\d+:\d+\)/);
    expect(stdout).toMatch(/at validateOperation \(.*dist\/index\.cjs:\d+:\d+\)/);
    const built = readFileSync(join(scratch, "node_modules", pkg.name, "dist/index.cjs"), "utf8");
    // Whitespace-minified: far fewer lines than statements (printed as written it has thousands).
    expect(built.split("\n").length).toBeLessThan(200);
  });

  test("every subpath export loads under require() and import, with the same exports", async () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const subpaths = Object.keys(manifest.exports).filter((k) => k !== "./package.json");
    expect(subpaths.length).toBeGreaterThan(1);
    for (const subpath of subpaths) {
      const id = JSON.stringify(`${pkg.name}${subpath.slice(1)}`);
      const cjs = await run(
        process.execPath,
        ["-e", `console.log(JSON.stringify(Object.keys(require(${id})).sort()))`],
        { cwd: scratch },
      );
      const esm = await run(
        process.execPath,
        ["--input-type=module", "-e", `console.log(JSON.stringify(Object.keys(await import(${id})).sort()))`],
        { cwd: scratch },
      );
      const names = JSON.parse(cjs.stdout) as string[];
      expect(names.length, subpath).toBeGreaterThan(0);
      expect(
        JSON.parse(esm.stdout).filter((n: string) => n !== "default"),
        subpath,
      ).toEqual(names);
    }
  });

  test("the tooling subpaths load under require() and import, and the root entry exports none of their names", async () => {
    const ids = Object.fromEntries(Object.keys(TOOL_SUBPATHS).map((s) => [s, JSON.stringify(`${pkg.name}/${s}`)]));
    const cjs = await run(
      process.execPath,
      [
        "-e",
        toolProbe({
          testing: `require(${ids.testing})`,
          money: `require(${ids.money})`,
          macros: `require(${ids.macros})`,
        }),
      ],
      { cwd: scratch },
    );
    expect(JSON.parse(cjs.stdout)).toEqual(toolProbeResult);
    const esm = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import * as testing from ${ids.testing}; import * as money from ${ids.money}; import * as macros from ${ids.macros};
         ${toolProbe({ testing: "testing", money: "money", macros: "macros" })}`,
      ],
      { cwd: scratch },
    );
    expect(JSON.parse(esm.stdout)).toEqual(toolProbeResult);

    for (const [subpath, names] of Object.entries(TOOL_SUBPATHS)) {
      const listed = await run(
        process.execPath,
        ["-e", `console.log(JSON.stringify(Object.keys(require(${ids[subpath]})).sort()))`],
        { cwd: scratch },
      );
      expect(JSON.parse(listed.stdout), subpath).toEqual([...names].sort());
    }
    const root = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(pkg.name)}))))`,
      ],
      { cwd: scratch },
    );
    const rootNames = JSON.parse(root.stdout) as string[];
    expect(rootNames).toContain("validateEventNotification");
    expect(rootNames.filter((n) => Object.values(TOOL_SUBPATHS).flat().includes(n))).toEqual([]);
  });

  test("the tooling subpaths' types resolve from ESM and CommonJS, and the root entry's types lack them", async () => {
    // Every type and value each subpath exports, imported from it; each one also imported from the
    // root under @ts-expect-error, so tsc fails if the root entry exports it again.
    const types = Object.keys(TOOL_SUBPATHS)
      .flatMap((subpath) => {
        const names = [...(TOOL_SUBPATHS[subpath] ?? []), ...(TOOL_TYPES[subpath] ?? [])];
        return [
          `import type { ${names.map((n) => `${n} as ${subpath}_${n}`).join(", ")} } from "${pkg.name}/${subpath}";`,
          ...names.flatMap((n) => [
            `// @ts-expect-error ${n} is on ${pkg.name}/${subpath}`,
            `import type { ${n} as root_${n} } from "${pkg.name}";`,
          ]),
        ];
      })
      .join("\n");
    writeFileSync(join(scratch, "types-probe.mts"), types);
    writeFileSync(join(scratch, "types-probe.cts"), types);
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "node16",
          moduleResolution: "node16",
          strict: true,
          noEmit: true,
          types: [],
          lib: ["es2022", "dom"],
        },
        files: ["types-probe.mts", "types-probe.cts"],
      }),
    );
    const checked = await run(join(root, "node_modules/.bin/tsc"), ["-p", "."], { cwd: scratch }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(checked.stdout).toBe("");
  });

  test("publint finds nothing to fix", async () => {
    const { stdout } = await run(join(root, "node_modules/.bin/publint"), ["run", "--strict", root], { cwd: root });
    expect(stdout).toMatch(/All good!/);
  });

  test("attw: types resolve for node10, node16 (CJS and ESM) and bundlers", async () => {
    const { stdout } = await run(join(root, "node_modules/.bin/attw"), [tarball, "--format", "json"], {
      cwd: root,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout) as { analysis: { problems: unknown[] } };
    expect(report.analysis.problems).toEqual([]);
  });

  test("README example: runs as written and prints what its comments say", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const example = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    if (example === undefined) throw new Error("README has no ## Example code block");
    const expected = [...example.matchAll(/\/\/ → (.*)$/gm)].map((m) => m[1]);
    expect(expected.length).toBeGreaterThan(0);
    const file = join(scratch, "readme-example.mjs");
    writeFileSync(file, example);
    const { stdout } = await run(process.execPath, [file], { cwd: scratch });
    expect(stdout.trim().split("\n")).toEqual(expected);
  });
});
