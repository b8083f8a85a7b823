// Ctrl+C (or SIGTERM) on a server with clients: refuse new connections, let each connection
// finish the request it is in, wait for them to close for at most SHUTDOWN_GRACE_MS, then cut
// off what is left and say how many had to be.
import { once } from "node:events";
import type { Server } from "node:net";
import { endAllWhenIdle, openConnections } from "./connection.ts";
import { turnedAway } from "./limits.ts";
import { closeAll } from "./listen.ts";

/** Replies in flight get this long to reach their clients (the contract allows 2 s in all). */
const SHUTDOWN_GRACE_MS = 1500;

/** Stops serving; resolves with how many connections had to be cut off. */
export async function stopServing(servers: Server[]): Promise<number> {
  closeAll(servers);
  endAllWhenIdle();
  const closing = [
    ...Array.from(openConnections, (connection) => connection.socket),
    ...turnedAway,
  ];
  const allClosed = Promise.all(closing.map((socket) => once(socket, "close")));
  const grace = AbortSignal.timeout(SHUTDOWN_GRACE_MS);
  await Promise.race([allClosed, once(grace, "abort")]);
  // Whatever Node still counts now did not close in time: a leak, or a client that hangs on.
  const cutOff = await countConnections(servers);
  for (const connection of openConnections) connection.socket.destroy();
  return cutOff;
}

/** How many connections the listening servers hold, as Node itself counts them. */
async function countConnections(servers: Server[]): Promise<number> {
  const counts = servers.map(
    (server) =>
      new Promise<number>((resolve) => {
        server.getConnections((error, count) => {
          resolve(error ? 0 : count);
        });
      }),
  );
  return (await Promise.all(counts)).reduce((sum, count) => sum + count, 0);
}
