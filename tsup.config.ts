import { defineConfig } from "tsup";
import { shippedMinify } from "./scripts/lib/shipped-minify.js";

// One bundle per format. The generated validators are self-contained, so both outputs load
// without ajv; the CommonJS build exists for `require()` users (see test/package.test.ts).
export default defineConfig([
  {
    // Framework adapters are subpaths (impact-event-notifications/node, …/express, …): the root
    // entry stays free of node APIs so it loads on Fetch runtimes.
    entry: {
      index: "src/index.ts",
      node: "src/adapters/node.ts",
      express: "src/adapters/express.ts",
      fastify: "src/adapters/fastify.ts",
      lambda: "src/adapters/lambda.ts",
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
  // The CLI (bin: dist/cli.js): Node only, ESM, no types. Not cleaning: the library build above does.
  { entry: { cli: "src/cli/main.ts" }, format: ["esm"], platform: "node", target: "node20", clean: false, dts: false },
]);
