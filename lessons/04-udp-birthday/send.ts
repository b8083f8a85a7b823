// How the sender sends: one datagram, or a numbered burst of them to measure loss.
import type { Socket } from "node:dgram";
import { numbered } from "./bursts.ts";
import { traceSend } from "./trace.ts";

/** The most data one UDP datagram over IPv4 can carry: 65,535 - 8 (UDP) - 20 (IP header). */
export const MAX_DATAGRAM_BYTES = 65_507;
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
