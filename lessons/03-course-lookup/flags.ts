// This lesson's flags and usage, for its server and its client, and where the client's course
// name comes from when it is not an argument.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import {
  commonFlags,
  parseCount,
  parseOrExit,
  parsePort,
  parseSeconds,
  TRACE_USAGE,
} from "./common/flag-parsing.ts";

const serverUsage = `Usage: server.ts [--host <address>] [--port <0-65535>] [--catalog <file>]
                 [--idle-timeout <seconds>] [--max-connections <n>] [--pause <seconds>] [--quiet] [--trace] [--trace-diagram <file>] [--help]

Answers course-name lookups over TCP, one line per request, for many clients at once.
  --host             where to listen (default: loopback, 127.0.0.1 and ::1)
  --port             port to listen on (default: 6003; 0 picks a free port)
  --catalog          the course catalog, a JSON file (default: catalog.json beside server.ts)
  --idle-timeout     close a connection silent for this long (default: 30)
  --max-connections  clients served at once; more get "server busy" (default: 1000)
  --pause            a request with no newline ends after this quiet time (default: 0.1)
  --quiet            do not log each request
${TRACE_USAGE}`;

export const clientUsage = `Usage: client.ts [course name] [--host <address>] [--port <1-65535>] [--timeout <seconds>] [--pause <seconds>] [--trace] [--trace-diagram <file>] [--help]

Asks the lesson 3 server about one course and prints its reply. The course name comes from the
argument, else a CourseName: prompt, else the first line of piped input.
  --host     server to connect to (default: localhost)
  --port     server port (default: 6003)
  --timeout  seconds to wait for the reply (default: 5)
  --pause    a reply with no newline ends after this quiet time (default: 0.1)
${TRACE_USAGE}`;

export function serverOptions() {
  return parseOrExit(serverUsage, () => {
    const { values } = parseArgs({
      options: {
        ...commonFlags,
        catalog: { type: "string" },
        "idle-timeout": { type: "string", default: "30" },
        "max-connections": { type: "string", default: "1000" },
        pause: { type: "string", default: "0.1" },
        quiet: { type: "boolean", default: false },
      },
    });
    return {
      help: values.help,
      trace: values.trace,
      traceDiagram: values["trace-diagram"],
      host: values.host,
      port: parsePort(values.port, 0),
      catalog: values.catalog,
      idleTimeoutMs: parseSeconds(values["idle-timeout"], "--idle-timeout") * 1000,
      maxConnections: parseCount(values["max-connections"], "--max-connections"),
      pauseMs: parseSeconds(values.pause, "--pause") * 1000,
      quiet: values.quiet,
    };
  });
}

export type ServerOptions = ReturnType<typeof serverOptions>;

export function clientOptions() {
  return parseOrExit(clientUsage, () => {
    const { values, positionals } = parseArgs({
      options: {
        ...commonFlags,
        timeout: { type: "string", default: "5" },
        pause: { type: "string", default: "0.1" },
      },
      allowPositionals: true,
    });
    return {
      help: values.help,
      trace: values.trace,
      traceDiagram: values["trace-diagram"],
      host: values.host ?? "localhost",
      port: parsePort(values.port, 1),
      timeoutMs: parseSeconds(values.timeout, "--timeout") * 1000,
      pauseMs: parseSeconds(values.pause, "--pause") * 1000,
      course: positionals.length > 0 ? positionals.join(" ") : undefined,
    };
  });
}

/**
 * The course name when it is not an argument: a prompt on a terminal, like the seed's
 * input("CourseName:"), else the first line of piped input.
 */
export async function readCourseName(): Promise<string> {
  const input = createInterface({ input: process.stdin, output: process.stdout });
  try {
    if (process.stdin.isTTY) {
      // On a terminal, readline takes Ctrl+C for itself: make it end the program as usual.
      input.on("SIGINT", () => process.exit(130));
      return await input.question("CourseName:").catch(() => "");
    }
    // Git Bash's terminal (mintty, with MSYSTEM set) gives programs a pipe, not a terminal: the
    // student is typing there too, so ask, on stderr, leaving piped output as it was.
    if (process.env.MSYSTEM !== undefined) process.stderr.write("CourseName:");
    // question() on piped input can lose lines; iterating reads them in order and ends at EOF.
    for await (const line of input) return line;
    return "";
  } finally {
    input.close();
  }
}

/** No name at all: say how to give one, and exit 2. */
export function exitIfEmpty(course: string): void {
  if (course.trim() !== "") return;
  console.error(`No course name given. Try: npm run lesson:3:client -- python\n\n${clientUsage}`);
  process.exit(2);
}
