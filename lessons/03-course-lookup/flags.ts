// This lesson's flags and usage, for its server and its client.
import { parseArgs } from "node:util";
import { commonFlags, parseCount, parseOrExit, parsePort, parseSeconds } from "./flag-parsing.ts";
import { TRACE_USAGE } from "./flag-parsing.ts";

const serverUsage = `Usage: server.ts [--host <address>] [--port <0-65535>] [--catalog <file>]
                 [--idle-timeout <seconds>] [--max-connections <n>] [--pause <seconds>] [--quiet] [--trace] [--help]

Answers course-name lookups over TCP, one line per request, for many clients at once.
  --host             where to listen (default: loopback, 127.0.0.1 and ::1)
  --port             port to listen on (default: 6003; 0 picks a free port)
  --catalog          the course catalog, a JSON file (default: catalog.json beside server.ts)
  --idle-timeout     close a connection silent for this long (default: 30)
  --max-connections  clients served at once; more get "server busy" (default: 1000)
  --pause            a request with no newline ends after this quiet time (default: 0.1)
  --quiet            do not log each request
${TRACE_USAGE}`;

export const clientUsage = `Usage: client.ts [course name] [--host <address>] [--port <1-65535>] [--timeout <seconds>] [--pause <seconds>] [--trace] [--help]

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
      host: values.host ?? "localhost",
      port: parsePort(values.port, 1),
      timeoutMs: parseSeconds(values.timeout, "--timeout") * 1000,
      pauseMs: parseSeconds(values.pause, "--pause") * 1000,
      course: positionals.length > 0 ? positionals.join(" ") : undefined,
    };
  });
}
