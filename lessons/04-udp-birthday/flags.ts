// This lesson's flags and usage, for its receiver (server.ts) and its sender (client.ts), and
// the message the sender is given.
import { text } from "node:stream/consumers";
import { parseArgs } from "node:util";
import {
  commonFlags,
  parseCount,
  parseOrExit,
  parsePort,
  parseSeconds,
  TRACE_USAGE,
} from "./common/flag-parsing.ts";
import { MAX_DATAGRAM_BYTES } from "./common/send.ts";

const serverUsage = `Usage: server.ts [--host <address>] [--port <0-65535>] [--pause <seconds>] [--trace] [--trace-diagram <file>] [--help]

Receives UDP datagrams and prints each one with its sender, until Ctrl+C. Numbered bursts
(client.ts --count N) are counted, and reported when they end, with how many were lost.
  --host   where to receive (default: loopback, 127.0.0.1 and ::1)
  --port   port to receive on (default: 6004; 0 picks a free port)
  --pause  a burst is reported once its sender has been quiet this long (default: 1)
${TRACE_USAGE}`;

const clientUsage = `Usage: client.ts [message] [--host <address>] [--port <1-65535>] [--count <n>] [--trace] [--trace-diagram <file>] [--help]

Sends one UDP datagram (default: "Happy Birth Day Server"; "-" sends standard input) and exits.
Nothing comes back: UDP does not tell the sender whether anyone received it.
  --host   receiver to send to (default: localhost)
  --port   receiver port (default: 6004)
  --count  send n numbered datagrams as fast as possible instead, to measure loss
${TRACE_USAGE}`;

export function serverOptions() {
  return parseOrExit(serverUsage, () => {
    const { values } = parseArgs({
      options: { ...commonFlags, pause: { type: "string", default: "1" } },
    });
    return {
      help: values.help,
      trace: values.trace,
      traceDiagram: values["trace-diagram"],
      host: values.host,
      port: parsePort(values.port, 0),
      pauseMs: parseSeconds(values.pause, "--pause") * 1000,
    };
  });
}

export function clientOptions() {
  return parseOrExit(clientUsage, () => {
    const { values, positionals } = parseArgs({
      options: { ...commonFlags, count: { type: "string" } },
      allowPositionals: true,
    });
    return {
      help: values.help,
      trace: values.trace,
      traceDiagram: values["trace-diagram"],
      host: values.host ?? "localhost",
      port: parsePort(values.port, 1),
      count: values.count === undefined ? undefined : parseCount(values.count, "--count"),
      message: positionals.length > 0 ? positionals.join(" ") : undefined,
    };
  });
}

/**
 * What to send: the words given; with `-`, standard input without its last line break (a message
 * longer than a command line may be: Windows caps one at 32,767 characters; `echo` and PowerShell
 * end what they pipe with a line break); with nothing, the seed's message.
 */
export async function messageToSend(given: string | undefined): Promise<string> {
  if (given === "-") return (await text(process.stdin)).replace(/\r?\n$/, "");
  return given ?? "Happy Birth Day Server";
}

/** A message too large for one datagram: say so and exit 1. */
export function exitIfTooLarge(message: string): void {
  const size = Buffer.byteLength(message);
  if (size <= MAX_DATAGRAM_BYTES) return;
  console.error(
    `The message is ${size} bytes, but one UDP datagram carries at most ${MAX_DATAGRAM_BYTES} bytes. Send a shorter message.`,
  );
  process.exit(1);
}
