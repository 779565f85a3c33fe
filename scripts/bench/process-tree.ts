/** Resident and proportional memory of a process and all its descendants, read from /proc (Linux). */
import { readdirSync, readFileSync } from "node:fs";

/** Parent pid of every running process. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name (field 2) may hold spaces and parentheses: read after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      map.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return map;
}

/** The pid and every descendant's pid. */
export function processTree(root: number): number[] {
  const parentOf = parents();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, parent] of parentOf) if (parent === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Sum of VmRSS over the process tree, bytes (0 where /proc cannot be read). */
export function treeRss(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

/**
 * Proportional set size of one process, bytes: its resident pages, each shared page divided by
 * the processes sharing it (0 where /proc cannot be read). A child process started from the same
 * executable counts the executable's pages again in RSS, not in PSS.
 */
export function processPss(pid: number | "self"): number {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return Number(match?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** Sum of PSS over the process tree, bytes: the memory the server takes from the machine. */
export function treePss(root: number): number {
  return processTree(root).reduce((total, pid) => total + processPss(pid), 0);
}
