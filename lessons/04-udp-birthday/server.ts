// Lesson 4 receiver: prints every UDP datagram that arrives, with its sender, until Ctrl+C.
// Numbered bursts from `client.ts --count N` are counted instead, and reported with their losses.
// Run it:     npm run lesson:4:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc -u 127.0.0.1 6004, then type a line  (or this lesson's sender)
import { once } from "node:events";
import { countBurst, parseNumbered } from "./bursts.ts";
import { bind, escapeText, fail, formatAddress, isLoopback } from "./cli.ts";
import { parseServerOptions, stopSignal } from "./cli.ts";

/** A burst is over when its sender has been quiet this long. */
const BURST_QUIET_MS = 1000;
/** Longer texts are shown as their length and their start. */
const SHOW_CHARACTERS = 80;

const usage = `Usage: server.ts [--host <address>] [--port <0-65535>] [--help]

Receives UDP datagrams and prints each one with its sender, until Ctrl+C. Numbered bursts
(client.ts --count N) are counted, and reported when they end, with how many were lost.
  --host  where to receive (default: loopback, 127.0.0.1 and ::1)
  --port  port to receive on (default: 6004; 0 picks a free port)`;

const { host, port } = parseServerOptions(usage);
const stopped = stopSignal();
const text = new TextDecoder(); // Not fatal: junk bytes show as U+FFFD instead of failing.
const senders = new Set<string>();
let datagrams = 0;

/** Bursts in progress, by sender, each reported after a quiet second. */
const bursts = new Map<
  string,
  { counter: ReturnType<typeof countBurst>; quiet?: NodeJS.Timeout }
>();

function reportBurst(sender: string): void {
  const burst = bursts.get(sender);
  if (burst === undefined) return;
  clearTimeout(burst.quiet);
  bursts.delete(sender);
  console.log(`Burst from ${sender}: ${burst.counter.report()}`);
}

function show(message: string, bytes: number): string {
  if (bytes === 0) return "(empty datagram)";
  // A line typed into `nc -u` ends with a newline; the rest of the text is shown escaped.
  message = message.replace(/\r?\n$/, "");
  if (message.length <= SHOW_CHARACTERS) return escapeText(message);
  return `(${bytes} bytes) ${escapeText(message.slice(0, SHOW_CHARACTERS))}...`;
}

function receive(data: Buffer, from: { address: string; port: number }): void {
  const sender = formatAddress(from.address, from.port);
  const message = text.decode(data);
  datagrams += 1;
  senders.add(sender);
  const numbered = parseNumbered(message);
  if (numbered === undefined) {
    console.log(`${show(message, data.length)} from ${sender}`);
    return;
  }
  let burst = bursts.get(sender);
  if (burst?.counter.total !== numbered.total) {
    reportBurst(sender);
    burst = { counter: countBurst(numbered.total) };
    bursts.set(sender, burst);
  }
  burst.counter.add(numbered.seq);
  clearTimeout(burst.quiet);
  burst.quiet = setTimeout(() => {
    reportBurst(sender);
  }, BURST_QUIET_MS);
}

try {
  const { sockets, addresses } = await bind(host, port);
  console.log(`Receiver is running on ${addresses.join(" and ")}`);
  if (host !== undefined && !isLoopback(host)) {
    console.log(`Warning: listening on ${host}, so other machines on the network can send to it.`);
  }
  for (const socket of sockets) {
    socket.on("message", receive);
    // A UDP socket has no connection to lose; an error here is logged and receiving goes on.
    socket.on("error", (error) => {
      console.log(`Receive error: ${error.message}`);
    });
  }
  await once(stopped, "abort");
  for (const sender of [...bursts.keys()]) reportBurst(sender);
  for (const socket of sockets) socket.close();
  console.log(`Receiver stopped: ${datagrams} datagram(s) from ${senders.size} sender(s).`);
} catch (error) {
  fail(error, formatAddress(host ?? "localhost", port));
}
