// The server's limits, so that no client can take more than its share: a request's size and
// how long it may take to arrive, and how many clients are served at once.
import type { Socket } from "node:net";
import { log } from "./log.ts";

/** The seed reads a request with recv(1024); a longer one is refused, so memory stays bounded. */
export const MAX_REQUEST_BYTES = 1024;
/** A request that trickles in must still finish within this many idle timeouts. */
export const REQUEST_DEADLINE_IDLE_TIMEOUTS = 3;
/** After refusing a client, how long it has to read our error line before we cut it off. */
export const LINGER_MS = 1000;

/** Clients turned away with "server busy", until they have closed. */
export const turnedAway = new Set<Socket>();

/**
 * With `open` clients already served and `max` allowed, turns this one away with
 * "server busy" and returns true; else returns false.
 */
export function turnAwayWhenFull(socket: Socket, client: string, open: number, max: number) {
  if (open < max) return false;
  log(`${client}: refused, ${open} clients already connected`);
  socket.end("server busy\n");
  // Discard whatever it sends, so the connection can finish closing, and cut it off if not.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  turnedAway.add(socket);
  socket.once("close", () => turnedAway.delete(socket));
  return true;
}
