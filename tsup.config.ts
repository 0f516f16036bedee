import { defineConfig } from "tsup";

// One bundle per format. The generated validators are self-contained, so both outputs load
// without ajv; the CommonJS build exists for `require()` users (see test/package.test.ts).
export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: false,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  outExtension: ({ format }) => ({ js: format === "cjs" ? ".cjs" : ".js" }),
});
