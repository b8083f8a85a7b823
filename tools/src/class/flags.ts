// The flags a class is graded with, the same for `npm run check --each` and for the Gradescope
// bundle (`npm run autograder`): which lesson, which role, each program's limits, the time limit.
import {
  DEFAULT_LIMITS,
  describeLimits,
  inWords,
  parseBytes,
  type Limits,
} from "../executable/limits.ts";
import type { Lesson } from "../lib/lessons.ts";

export const CLASS_FLAGS = {
  role: { type: "string", default: "server" },
  "time-limit": { type: "string", default: "120" },
  memory: { type: "string", default: inWords(DEFAULT_LIMITS.memoryBytes) },
  processes: { type: "string", default: String(DEFAULT_LIMITS.processes) },
  "cpu-time": { type: "string", default: String(DEFAULT_LIMITS.cpuSeconds) },
  "file-size": { type: "string", default: inWords(DEFAULT_LIMITS.fileBytes) },
} as const;

export const CLASS_USAGE = `  --role         with no command: judge each submission's server (default) or client
  --time-limit   seconds per submission (default: 120)
  --memory, --processes, --cpu-time, --file-size: each program's limits (default: ${describeLimits(DEFAULT_LIMITS)})`;

type ClassValues = { [name in keyof typeof CLASS_FLAGS]: string } & {
  server?: string;
  client?: string;
};

/** The lesson a word names: its number (3, 03) or its folder (03-course-lookup, lessons/03-...). */
export function lessonNamed(all: Lesson[], word: string | undefined): Lesson | undefined {
  if (word === undefined) return undefined;
  const folder = word.replace(/^lessons[/\\]/, "").replace(/[/\\]$/, "");
  return all.find((each) => String(each.number) === word.replace(/^0/, "") || each.name === folder);
}

/** The limits the flags give, or the sentence that says which flag is wrong. */
export function classSettings(
  flags: ClassValues,
): { limits: Limits; timeLimitMs: number; role: "server" | "client" } | string {
  const limits: Limits = {
    memoryBytes: parseBytes(flags.memory) ?? NaN,
    processes: Number(flags.processes),
    cpuSeconds: Number(flags["cpu-time"]),
    fileBytes: parseBytes(flags["file-size"]) ?? NaN,
  };
  const positive = (text: string) => /^\d+(\.\d+)?$/.test(text) && Number(text) > 0;
  if (!positive(flags["time-limit"])) {
    return `--time-limit must be a number of seconds above 0, not ${flags["time-limit"]}`;
  }
  if (!(limits.memoryBytes > 0) || !(limits.fileBytes > 0)) {
    return `--memory and --file-size are sizes such as 512M or 2G, not ${flags.memory} and ${flags["file-size"]}`;
  }
  if (!/^[1-9]\d*$/.test(flags.processes) || !positive(flags["cpu-time"])) {
    return `--processes and --cpu-time must be numbers above 0, not ${flags.processes} and ${flags["cpu-time"]}`;
  }
  if (flags.role !== "server" && flags.role !== "client") {
    return `--role is server or client, not ${flags.role}`;
  }
  // A command given says the role; with none, --role does.
  const role =
    flags.client !== undefined ? "client" : flags.server !== undefined ? "server" : flags.role;
  return { limits, timeLimitMs: Number(flags["time-limit"]) * 1000, role };
}
