// This lesson's flags and usage, for its server and its client.
import { parseArgs } from "node:util";
import {
  commonFlags,
  parseOrExit,
  parsePort,
  parseSeconds,
  TRACE_USAGE,
} from "./common/flag-parsing.ts";

const serverUsage = `Usage: server.ts [--host <name or address>] [--port <0-65535>] [--trace] [--trace-diagram <file>] [--help]

Accepts one TCP connection, prints who connected, and exits.
  --host  where to listen (default: loopback, 127.0.0.1 and ::1)
  --port  port to listen on (default: 6001; 0 picks a free port)
${TRACE_USAGE}`;

const clientUsage = `Usage: client.ts [--host <name or address>] [--port <1-65535>] [--timeout <seconds>] [--trace] [--trace-diagram <file>] [--help]

Connects to the lesson 1 server over TCP, prints where it connected, and closes.
  --host     server to connect to (default: localhost)
  --port     server port (default: 6001)
  --timeout  seconds to wait for the connection (default: 5)
${TRACE_USAGE}`;

export function serverOptions() {
  return parseOrExit(serverUsage, () => {
    const { values } = parseArgs({ options: commonFlags });
    return {
      help: values.help,
      trace: values.trace,
      traceDiagram: values["trace-diagram"],
      host: values.host,
      port: parsePort(values.port, 0),
    };
  });
}

export function clientOptions() {
  return parseOrExit(clientUsage, () => {
    const { values } = parseArgs({
      options: { ...commonFlags, timeout: { type: "string", default: "5" } },
    });
    return {
      help: values.help,
      trace: values.trace,
      traceDiagram: values["trace-diagram"],
      host: values.host ?? "localhost",
      port: parsePort(values.port, 1),
      timeoutMs: parseSeconds(values.timeout, "--timeout") * 1000,
    };
  });
}
