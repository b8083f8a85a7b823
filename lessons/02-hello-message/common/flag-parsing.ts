// The pieces every program's flags are parsed with (node:util parseArgs underneath): the flags
// all share, exit 0 with the usage on --help, exit 2 with a sentence and the usage on a bad flag.
import { DEFAULT_PORT } from "./lesson.ts";
import { enableTrace } from "./trace.ts";

/** --host, --port (this lesson's default), --trace and --help, for parseArgs. */
export const commonFlags = {
  host: { type: "string" },
  port: { type: "string", default: String(DEFAULT_PORT) },
  trace: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** The usage line every program has for --trace. */
export const TRACE_USAGE = "  --trace  show each socket event on the wire (trace.ts)";

/**
 * Runs `parse`; prints the usage and exits 0 on --help, or 2 with the reason if it throws.
 * Turns tracing on for --trace.
 */
export function parseOrExit<T>(
  usage: string,
  parse: () => T & { help: boolean; trace: boolean },
): T {
  let options: T & { help: boolean; trace: boolean };
  try {
    options = parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage);
    process.exit(0);
  }
  if (options.trace) enableTrace();
  return options;
}

export function parsePort(text: string, lowest: number): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= lowest && port <= 65535)) {
    throw new Error(`--port must be a whole number from ${lowest} to 65535, not "${text}".`);
  }
  return port;
}

/** Node's timers hold at most 2^31 - 1 ms: a longer time limit would run out at once. */
const MOST_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export function parseSeconds(text: string, flag: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0 && seconds <= MOST_SECONDS)) {
    throw new Error(
      `${flag} must be a number of seconds above 0 and at most ${MOST_SECONDS} (24 days), not "${text}".`,
    );
  }
  return seconds;
}

export function parseCount(text: string, flag: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1)) throw new Error(`${flag} must be a whole number from 1 up, not "${text}".`);
  return count;
}
