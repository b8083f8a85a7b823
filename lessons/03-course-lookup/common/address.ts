// Addresses: how the programs write one, which ones reach this machine only, and who a client is.
import { isIP, type Socket } from "node:net";
import { TRANSPORT } from "./lesson.ts";

/** The loopback addresses a default server listens on, so `localhost` works as IPv4 or IPv6. */
export const LOOPBACK = ["127.0.0.1", "::1"];

/** `host:port`, with brackets around an IPv6 address as in a URL. */
export function formatAddress(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export function isLoopback(address: string): boolean {
  return address === "localhost" || address === "::1" || address.startsWith("127.");
}

/** One warning line when --host makes the server reachable from other machines. */
export function warnIfReachable(host: string | undefined): void {
  if (host === undefined || isLoopback(host)) return;
  const what = TRANSPORT === "UDP" ? "send to it" : "connect";
  console.log(`Warning: listening on ${host}, so other machines on the network can ${what}.`);
}

/**
 * Who is on the other end of an accepted connection, read once, at accept. A client that reset
 * before Node read its address has none (`remoteAddress` is undefined): it is named in words.
 */
export function clientName(socket: Socket): string {
  const { remoteAddress, remotePort } = socket;
  if (remoteAddress === undefined || remotePort === undefined) {
    return "a client that had already gone";
  }
  return formatAddress(remoteAddress, remotePort);
}
