/**
 * CPU time and RSS of a process we did not write (Prism, the CLI), from /proc/<pid>/stat
 * (proc(5): utime and stime are fields 14 and 15 in clock ticks, rss field 24 in pages).
 * Linux only; elsewhere those columns say n/a.
 */
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux ABI
const PAGE_SIZE = 4096;

export function procStats(pid: number): { cpuUs: number; rss: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: split after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuUs: ((utime + stime) / TICKS_PER_SECOND) * 1e6, rss: rssPages * PAGE_SIZE };
  } catch {
    return undefined;
  }
}
