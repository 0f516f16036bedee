/**
 * A process and its descendants, read from /proc (Linux), for tests that must show a signal
 * stopped a whole tree (npm, a shell, node) and left no process behind. Each process is
 * identified by its pid and its start time, so a pid the kernel reuses later is never mistaken
 * for a survivor.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface TreeProcess {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22). */
  readonly start: string;
  /** The command line, for failure messages. */
  readonly command: string;
}

/** /proc/PID/stat's fields after the command name (which may itself hold spaces and parentheses). */
function statOf(pid: number): { state: string; ppid: number; start: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields 3 onwards: state, ppid, pgrp, …; start time is field 22, index 19 here.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", ppid: Number(fields[1]), start: fields[19] ?? "" };
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
  } catch {
    return "";
  }
}

/** `pid` and every process descending from it, parents first. */
export function processTree(pid: number): TreeProcess[] {
  const all: TreeProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat !== undefined) all.push({ pid: Number(entry), ppid: stat.ppid, start: stat.start, command: "" });
  }
  const root = all.find((p) => p.pid === pid);
  if (root === undefined) return [];
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    const parent = tree[i] as TreeProcess;
    tree.push(...all.filter((p) => p.ppid === parent.pid));
  }
  return tree.map((p) => ({ ...p, command: commandOf(p.pid) }));
}

/** Still running: the same process (same start time) and neither a zombie nor dead. */
export function isRunning(process: TreeProcess): boolean {
  const stat = statOf(process.pid);
  return stat !== undefined && stat.start === process.start && stat.state !== "Z" && stat.state !== "X";
}
