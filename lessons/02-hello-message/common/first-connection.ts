// The first connection on any of a server's listening sockets (common/listen.ts opens one per
// loopback address): lessons 1 and 2 take one client, and a client may arrive on either address.
import { once } from "node:events";
import type { Server, Socket } from "node:net";

/** The first connection on any of the servers, or undefined if `stopped` fires first. */
export async function firstConnection(
  servers: Server[],
  stopped: AbortSignal,
): Promise<Socket | undefined> {
  const controller = new AbortController();
  const signal = AbortSignal.any([stopped, controller.signal]);
  try {
    const [socket] = (await Promise.race(
      servers.map((server) => once(server, "connection", { signal })),
    )) as [Socket];
    return socket;
  } catch (error) {
    if (stopped.aborted) return undefined;
    throw error;
  } finally {
    controller.abort(); // Stop waiting on the other servers.
  }
}
