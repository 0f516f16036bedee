/**
 * Bundles bench/entries/*.ts with esbuild into node_modules/.cache/impact-bench/run-<pid>/*.mjs, so every
 * child runs on plain `node` (no TypeScript loader in the measured process, like a user's build
 * of this package). Packages stay external and resolve from the project's node_modules. An entry
 * that fails to build (e.g. code another issue has not landed yet) is reported, not fatal.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { shippedMinify } from "../../scripts/shipped-minify.js";

export interface BuiltEntries {
  readonly dir: string;
  /** entry name → bundled file */
  readonly files: ReadonlyMap<string, string>;
  /** entry name → first build error */
  readonly failed: ReadonlyMap<string, string>;
}

/** `source.ts`, bundled to `<its name>.mjs`, or [source, output file name]: the CLI's `cli.js`, or `*.cjs` for CommonJS. */
export type EntrySpec = string | readonly [source: string, out: string];

export async function buildEntries(root: string, entries: readonly EntrySpec[]): Promise<BuiltEntries> {
  // One folder per run: a smoke test and a full run at the same time never share bundles.
  const dir = join(root, "node_modules/.cache/impact-bench", `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  // Output named *.js (the CLI matches its own file name) must load as ESM, like dist/ does.
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const files = new Map<string, string>();
  const failed = new Map<string, string>();
  await Promise.all(
    entries.map(async (spec) => {
      const [entry, out] = typeof spec === "string" ? [spec, `${basename(spec, ".ts")}.mjs`] : spec;
      const name = basename(out).replace(/\.[mc]?js$/, "");
      const outfile = join(dir, out);
      try {
        await build({
          entryPoints: [join(root, entry)],
          outfile,
          bundle: true,
          platform: "node",
          format: out.endsWith(".cjs") ? "cjs" : "esm",
          target: "node20",
          packages: "external",
          logLevel: "silent",
          // Minified as the package is (tsup.config.ts), so an entry measures the code users get.
          ...shippedMinify,
        });
        files.set(name, outfile);
      } catch (error) {
        const first = (error as { errors?: { text: string; location?: { file: string } }[] }).errors?.[0];
        failed.set(name, first === undefined ? String(error) : `${first.location?.file ?? ""}: ${first.text}`);
      }
    }),
  );
  return { dir, files, failed };
}
