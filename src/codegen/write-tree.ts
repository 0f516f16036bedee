/**
 * An output folder as a whole: compare it with a fresh generation (`--check`), or replace it from
 * a clean slate so files of removed contracts do not linger.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { relativePath } from "./relative-path.js";

/** Every file below `dir`: relative path (forward slashes) → content. Empty when `dir` is missing. */
export function readTree(dir: string, base = dir): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) for (const [k, v] of readTree(path, base)) found.set(k, v);
    else found.set(relativePath(base, path), readFileSync(path, "utf8"));
  }
  return found;
}

export interface TreeDifference {
  readonly file: string;
  /** missing: not on disk; stale: on disk, not generated any more; differs: another content. */
  readonly state: "missing" | "stale" | "differs";
}

/** Where `dir` differs from `fresh`, sorted by path. */
export function diffTree(fresh: ReadonlyMap<string, string>, dir: string): TreeDifference[] {
  const onDisk = readTree(dir);
  return [...new Set([...fresh.keys(), ...onDisk.keys()])]
    .sort()
    .filter((f) => fresh.get(f) !== onDisk.get(f))
    .map((file) => ({ file, state: !onDisk.has(file) ? "missing" : !fresh.has(file) ? "stale" : "differs" }));
}

/** Removes `dir`, then writes every file of `files` into it. */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [file, content] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
}
