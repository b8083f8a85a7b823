// What every program a submission runs may use, and how each limit reached is said. The
// defaults follow PrairieLearn's external grader (2 GiB, 1,024 processes) and codecrafters'
// tester (a memory limit on the whole tree of processes, checked every 100 ms).
export interface Limits {
  /** Resident memory of the program and everything it started, in bytes. */
  memoryBytes: number;
  /** Processes alive at once, the program's included. */
  processes: number;
  /** CPU time of the whole tree, in seconds: a program that spins is stopped. */
  cpuSeconds: number;
  /** The largest file it may write, in bytes (also its private /tmp's size in the sandbox). */
  fileBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  memoryBytes: 2 * 1024 ** 3,
  processes: 1024,
  cpuSeconds: 60,
  fileBytes: 64 * 1024 ** 2,
};

const UNITS = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

/** "512M", "2G", "65536": bytes; undefined for anything else. */
export function parseBytes(text: string): number | undefined {
  const [, amount, unit = ""] = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(text.trim()) ?? [];
  const factor = UNITS[unit.toUpperCase() as keyof typeof UNITS];
  return amount === undefined ? undefined : Math.round(Number(amount) * factor);
}

/** 2147483648 as "2 GiB", 65536 as "64 KiB". */
export function inWords(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** Each limit reached, as the sentence its verdict shows. */
export const REACHED = {
  memory: (limits: Limits) =>
    `It used more than ${inWords(limits.memoryBytes)} of memory, so the check stopped it.`,
  processes: (limits: Limits) =>
    `It ran more than ${limits.processes.toLocaleString("en")} processes at once, so the check stopped it.`,
  cpu: (limits: Limits) =>
    `It used more than ${limits.cpuSeconds} s of CPU time, so the check stopped it (a program that waits for the network should not keep a core busy).`,
  file: (limits: Limits) =>
    `It wrote a file larger than ${inWords(limits.fileBytes)}, so the check stopped it.`,
} as const;

/** The limits as one line for the teacher: what every submission ran under. */
export function describeLimits(limits: Limits): string {
  return `${inWords(limits.memoryBytes)} of memory, ${limits.processes.toLocaleString("en")} processes, ${limits.cpuSeconds} s of CPU time and files up to ${inWords(limits.fileBytes)} per program`;
}
