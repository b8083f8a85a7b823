// Where the receiver binds. With no --host (or `localhost`) it binds both loopback addresses at
// one port, because a sender's `localhost` may resolve to either, and a datagram sent to the
// other address family is lost without any error. A machine without IPv6 gets IPv4 only.
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { isIP } from "node:net";
import { formatAddress, LOOPBACK } from "./address.ts";
import { traceDatagrams } from "./trace.ts";

/** Binds one UDP socket per address and returns them, bound. */
export async function bind(host: string | undefined, port: number): Promise<Socket[]> {
  const hosts = host === undefined || host === "localhost" ? LOOPBACK : [host];
  const sockets: Socket[] = [];
  for (const address of hosts) {
    const socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
    socket.bind({ address, port, exclusive: true });
    try {
      await once(socket, "listening");
    } catch (error) {
      socket.close();
      if (address === "::1" && sockets.length > 0 && isNoIpv6(error)) break;
      for (const bound of sockets) bound.close();
      throw error;
    }
    sockets.push(socket);
    // Port 0 means "any free port": the second loopback address must use the one just chosen.
    port = socket.address().port;
    traceDatagrams(socket);
  }
  return sockets;
}

/** Where the sockets receive, for the ready line: `127.0.0.1:6004 and [::1]:6004`. */
export function addressesOf(sockets: Socket[]): string {
  return sockets
    .map((socket) => {
      const { address, port } = socket.address();
      return formatAddress(address, port);
    })
    .join(" and ");
}

function isNoIpv6(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT";
}
