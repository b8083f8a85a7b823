// The pieces every program's flags are parsed with (node:util parseArgs underneath): the flags
// all share, exit 0 with the usage on --help, exit 2 with a sentence and the usage on a bad flag.
import { DEFAULT_PORT } from "./lesson.ts";
import { enableTrace } from "./trace.ts";

/** --host, --port (this lesson's default), --trace and --help, for parseArgs. */
export const commonFlags = {
  host: { type: "string" },
  port: { type: "string", default: String(DEFAULT_PORT) },
  trace: { type: "boolean", default: false },
  "trace-diagram": { type: "string" },
  help: { type: "boolean", default: false },
} as const;

/** The usage lines every program has for --trace. */
export const TRACE_USAGE = `  --trace  show each socket event on the wire (trace.ts)
  --trace-diagram <file>  --trace, and at the end the same events as a sequence diagram in <file>`;

/**
 * Runs `parse`; prints the usage and exits 0 on --help, or 2 with the reason if it throws.
 * Turns tracing on for --trace and --trace-diagram.
 */
export function parseOrExit<T>(usage: string, parse: () => T & TraceAndHelp): T {
  let options: T & TraceAndHelp;
  try {
    sayIfNpmTookFlags(usage);
    options = parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage);
    process.exit(0);
  }
  if (options.trace || options.traceDiagram !== undefined) enableTrace(options.traceDiagram);
  return options;
}

/** What parseOrExit acts on itself: --help, --trace and --trace-diagram. */
interface TraceAndHelp {
  help: boolean;
  trace: boolean;
  traceDiagram?: string | undefined;
}

/**
 * `npm run server --port 7001`, without the `--` that tells npm where its own flags end: npm
 * keeps --port for itself (as the setting npm_config_port) and passes on only "7001". Windows
 * PowerShell's npm shim drops a typed `--` in npm 10 and older (npm/cli#3136, fixed by npm/cli
 * PR 8278). Either way, say so, with the command that works, before parseArgs' own complaint.
 */
function sayIfNpmTookFlags(usage: string): void {
  const script = process.env.npm_lifecycle_event;
  if (script === undefined) return;
  /** What npm kept of `flag` (its npm_config_ setting), or undefined. */
  const keptByNpm = (flag: string) =>
    process.env[`npm_config_${flag.slice(2).replaceAll("-", "_")}`];
  const flags = [...new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])];
  const taken = flags.filter(
    (flag) =>
      keptByNpm(flag) !== undefined &&
      !process.argv.includes(flag) &&
      !process.argv.some((arg) => arg.startsWith(`${flag}=`)),
  );
  if (taken.length === 0) return;
  // npm read `--port 7001` as a switch and passed 7001 on: give each flag that takes a value
  // (`--port <...>` in the usage) the next word that reached the program.
  const passedOn = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  const typed = taken
    .map((flag) => {
      const value = keptByNpm(flag);
      if (value !== "true") return `${flag} ${value ?? ""}`;
      return usage.includes(`${flag} <`) && passedOn.length > 0
        ? `${flag} ${passedOn.shift() ?? ""}`
        : flag;
    })
    .join(" ");
  const command = [typed, ...passedOn].join(" "); // The words npm did pass on stay in it.
  throw new Error(
    `npm took ${typed} for itself, so it never reached this program: put -- between the script and the program's flags, npm run ${script} -- ${command}. In Windows PowerShell, where npm 10 and older drop a typed --, quote it: npm run ${script} '--' ${command}.`,
  );
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
