import { relative } from "node:path";

/** `file` relative to `root`, with forward slashes: how generated files and messages name paths. */
export const relativePath = (root: string, file: string) => relative(root, file).split("\\").join("/");
