// A program's whole tree of processes, read from Linux's /proc: what it uses together (memory,
// CPU time, how many), and every process in it, so that all of them can be stopped, the ones a
// `setsid` moved out of its process group included.
import { readdirSync, readFileSync } from "node:fs";

/** Linux's clock ticks per second, in which /proc gives CPU time (100 on every Linux kernel). */
const TICKS = 100;
/** The page size /proc counts resident memory in. */
const PAGE = 4096;

export interface Usage {
  /** Each process as "<pid>:<start>" (see isStill). */
  processes: string[];
  memoryBytes: number;
  cpuSeconds: number;
}

interface Stat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  residentPages: number;
  /** When it started, in ticks since boot: with the pid, it names one process, never a later one. */
  startedAt: number;
}

/** One process's line of /proc/<pid>/stat; undefined once it has gone. */
function statOf(pid: string): Stat | undefined {
  let line: string;
  try {
    line = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The name, in parentheses, may hold spaces: the fields that follow start after its last ')'.
  const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
  const field = (number: number) => Number(fields[number - 3]);
  return {
    pid: Number(pid),
    ppid: field(4),
    // utime, stime, and cutime, cstime: the children it has waited for count too.
    cpuTicks: field(14) + field(15) + field(16) + field(17),
    residentPages: field(24),
    startedAt: field(22),
  };
}

/** `root` and every process below it now, with what they use together. */
export function usageOf(root: number): Usage {
  const children = new Map<number, Stat[]>();
  let top: Stat | undefined;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = statOf(name);
    if (stat === undefined) continue;
    if (stat.pid === root) top = stat;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  }
  const tree: Stat[] = [];
  for (let next = top === undefined ? [] : [top]; next.length > 0;) {
    tree.push(...next);
    next = next.flatMap((stat) => children.get(stat.pid) ?? []);
  }
  return {
    processes: tree.map((stat) => `${stat.pid}:${stat.startedAt}`),
    memoryBytes: tree.reduce((sum, stat) => sum + stat.residentPages * PAGE, 0),
    cpuSeconds: tree.reduce((sum, stat) => sum + stat.cpuTicks, 0) / TICKS,
  };
}

/** The pid of a process from usageOf(), if that same process is still running. */
export function stillRunning(process: string): number | undefined {
  const [pid = "", startedAt] = process.split(":");
  return String(statOf(pid)?.startedAt) === startedAt ? Number(pid) : undefined;
}
