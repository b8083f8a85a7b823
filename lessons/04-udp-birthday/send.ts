// How the sender sends: one datagram, or a numbered burst of them to measure loss.
import type { Socket } from "node:dgram";
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { text } from "node:stream/consumers";
import { numbered } from "./bursts.ts";
import { traceSend } from "./trace.ts";

/** The most data one UDP datagram over IPv4 can carry: 65,535 - 8 (UDP) - 20 (IP header). */
export const MAX_DATAGRAM_BYTES = 65_507;
/** A send buffer that holds the largest datagram with its headers, on every system. */
export const SEND_BUFFER_BYTES = 65_536;
/** How many sends a burst keeps in flight: enough to keep the socket busy, not to flood memory. */
const SENDS_IN_FLIGHT = 256;

/** Sends one datagram; every send has a callback, because without one Node drops its errors. */
export function send(socket: Socket, data: Buffer, port: number, address: string): Promise<void> {
  traceSend(data, address, port);
  return new Promise((resolve, reject) => {
    socket.send(data, port, address, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * The address to send to: the name's first IPv4 address if it has one, else its first address
 * (`::1`, or a name with IPv6 only). Python's socket() is IPv4, so its `localhost` is always
 * 127.0.0.1; this one is too, whichever order the system resolves it in.
 */
export async function addressFor(host: string): Promise<LookupAddress> {
  const addresses = await lookup(host, { all: true });
  const first = addresses.find((each) => each.family === 4) ?? addresses[0];
  if (first === undefined) throw new Error(`${host} has no address`);
  return first;
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

/** Sends `count` numbered datagrams as fast as the socket takes them; returns the seconds taken. */
export async function sendBurst(
  socket: Socket,
  {
    count,
    message,
    port,
    address,
  }: { count: number; message: string; port: number; address: string },
): Promise<number> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let seq = 1; seq <= count; seq += 1) {
    const sending = send(socket, Buffer.from(numbered(seq, count, message)), port, address);
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending)).catch(() => undefined);
    if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}
