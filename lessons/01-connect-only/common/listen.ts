// Where a TCP server listens. By default both loopback addresses, at one port: `localhost` may
// resolve to 127.0.0.1 or to ::1, and a client tries it that way.
import { once } from "node:events";
import type { Server } from "node:net";
import { formatAddress, LOOPBACK } from "./address.ts";
import { traceServer } from "./trace.ts";

/**
 * Starts listening: on both loopback addresses with no --host (or `localhost`), else on --host.
 * A machine without IPv6 gets IPv4 only. `create` makes one server per address.
 */
export async function listen(
  create: () => Server,
  host: string | undefined,
  port: number,
  backlog = 511,
): Promise<Server[]> {
  const hosts = host === undefined || host === "localhost" ? LOOPBACK : [host];
  const servers: Server[] = [];
  for (const address of hosts) {
    const server = create();
    server.listen({ host: address, port, backlog });
    try {
      await once(server, "listening");
    } catch (error) {
      if (address === "::1" && servers.length > 0 && isNoIpv6(error)) break;
      closeAll(servers);
      throw error;
    }
    servers.push(server);
    // Port 0 means "any free port": the second loopback address must use the one just chosen.
    port = portOf(server);
    traceServer(server, formatAddress(address, port));
  }
  return servers;
}

/** Where the servers listen, for the ready line: `127.0.0.1:6001 and [::1]:6001`. */
export function addressesOf(servers: Server[]): string {
  return servers
    .map((server) => {
      const bound = server.address();
      return bound !== null && typeof bound === "object"
        ? formatAddress(bound.address, bound.port)
        : String(bound);
    })
    .join(" and ");
}

export function closeAll(servers: Server[]): void {
  for (const server of servers) server.close();
}

function portOf(server: Server): number {
  const bound = server.address();
  return bound !== null && typeof bound === "object" ? bound.port : 0;
}

function isNoIpv6(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT";
}
