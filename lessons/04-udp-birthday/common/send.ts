// How a UDP program sends: to which address a name resolves, and one datagram at a time, with
// every error reported.
import type { Socket } from "node:dgram";
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { traceSend } from "./trace.ts";

/** The most data one UDP datagram over IPv4 can carry: 65,535 - 8 (UDP) - 20 (IP header). */
export const MAX_DATAGRAM_BYTES = 65_507;
/** A send buffer that holds the largest datagram with its headers, on every system. */
export const SEND_BUFFER_BYTES = 65_536;

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
