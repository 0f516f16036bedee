import { defineConfig } from "tsup";
import { shippedMinify } from "./scripts/shipped-minify.js";

// One bundle per format. The generated validators are self-contained, so both outputs load
// without ajv; the CommonJS build exists for `require()` users (see test/package.test.ts).
// Dependencies (ajv, ajv-formats, esbuild, openapi-typescript, yaml) and peer dependencies
// (typescript) are external, tsup's default: only `generate` (dist/cli.js) and
// `impact-event-notifications/compile` load them, and test/package.test.ts checks that the root
// entry and the adapters never do.
export default defineConfig([
  {
    // Framework adapters are subpaths (impact-event-notifications/node, …/express, …): the root
    // entry stays free of node APIs so it loads on Fetch runtimes. Tooling is on subpaths too
    // (…/testing: sender and samples; …/money; …/macros), so a receiver never loads it.
    entry: {
      index: "src/index.ts",
      node: "src/adapters/node.ts",
      express: "src/adapters/express.ts",
      fastify: "src/adapters/fastify.ts",
      lambda: "src/adapters/lambda.ts",
      testing: "src/testing/index.ts",
      money: "src/money/index.ts",
      macros: "src/macros/index.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    // Whitespace and syntax minified, names kept: a faster cold start (see shippedMinify).
    ...shippedMinify,
    sourcemap: false,
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    outExtension: ({ format }) => ({ js: format === "cjs" ? ".cjs" : ".js" }),
  },
  {
    // impact-event-notifications/compile: compileTemplate for templates kept in a database. Node
    // only (ajv compiles with new Function); loads ajv and ajv-formats, nothing else external.
    // impact-event-notifications/inbox too: Node only (node:crypto, a database driver loaded on
    // first use: better-sqlite3 or node:sqlite, pg).
    entry: { compile: "src/compile/index.ts", inbox: "src/inbox/index.ts" },
    // tsup leaves dependencies and peer dependencies external, not optional ones.
    external: ["better-sqlite3", "pg"],
    format: ["esm", "cjs"],
    // import.meta.url in the CommonJS build (the SQLite inbox finds its thread's script by it).
    shims: true,
    dts: true,
    clean: false,
    ...shippedMinify,
    sourcemap: false,
    target: "node20",
    platform: "node",
    treeshake: true,
    outExtension: ({ format }) => ({ js: format === "cjs" ? ".cjs" : ".js" }),
  },
  {
    // The SQLite inbox's worker thread (src/inbox/sqlite-thread.ts): a script, not an entry users
    // import. `sqliteInbox` starts it from beside its own module, inbox.js, inbox.cjs or a CLI chunk,
    // all in dist/.
    entry: { "inbox-sqlite-thread": "src/inbox/sqlite-thread.ts" },
    external: ["better-sqlite3"],
    format: ["esm"],
    dts: false,
    clean: false,
    ...shippedMinify,
    sourcemap: false,
    target: "node20",
    platform: "node",
  },
  // The CLI (bin: dist/cli.js): Node only, ESM, no types. Not cleaning: the library build above does.
  // Code-split: `generate` imports the generator lazily, so it lands in a chunk of its own and
  // the other commands never load openapi-typescript, typescript, ajv, esbuild or yaml.
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    platform: "node",
    target: "node20",
    clean: false,
    dts: false,
    splitting: true,
    external: ["better-sqlite3", "pg"],
  },
]);
