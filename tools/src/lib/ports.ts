// The one helper that finds a free port, for tests that need a port before a program starts.
import { once } from "node:events";
import { createSocket } from "node:dgram";
import { connect, createServer, type Socket } from "node:net";
import { setTimeout } from "node:timers/promises";

/**
 * A TCP server on a free port of 127.0.0.1, calling `onConnection` for each client: a
 * stand-in server for a test, or, with no handler, a program that merely holds the port.
 */
export async function listenOnFreePort(onConnection?: (socket: Socket) => void) {
  const server = createServer(onConnection).listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port was assigned");
  return { server, port: address.port };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const { server, port } = await listenOnFreePort();
  server.close();
  await once(server, "close");
  return port;
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
export async function freeUdpPort(): Promise<number> {
  const probe = createSocket("udp4");
  probe.bind(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  probe.close();
  return port;
}

/**
 * Waits until something accepts TCP connections on 127.0.0.1:port, for the seed's servers that
 * print no ready line. Each probe connects and closes at once; gives up after `ms`.
 */
export async function waitForPort(port: number, ms = 10_000): Promise<void> {
  const deadline = AbortSignal.timeout(ms);
  for (;;) {
    const probe = connect({ host: "127.0.0.1", port });
    try {
      await once(probe, "connect", { signal: deadline });
      return;
    } catch (error) {
      if (deadline.aborted)
        throw new Error(`nothing listened on port ${port} within ${ms} ms`, { cause: error });
      await setTimeout(20);
    } finally {
      probe.destroy();
    }
  }
}

/**
 * Waits until 127.0.0.1:port refuses connections, for a server that is stopping. A connection
 * still accepted meanwhile is closed at once; gives up after `ms`.
 */
export async function waitUntilRefused(port: number, ms = 2_000): Promise<void> {
  const deadline = AbortSignal.timeout(ms);
  for (;;) {
    const probe = connect({ host: "127.0.0.1", port });
    probe.on("error", () => undefined);
    try {
      await once(probe, "connect", { signal: deadline });
    } catch (error) {
      // Refused, or reset mid-handshake by a listening socket that closed just then.
      const { code } = error as NodeJS.ErrnoException;
      if (code === "ECONNREFUSED" || code === "ECONNRESET") return;
      const why = deadline.aborted ? `still accepted connections after ${ms} ms` : String(error);
      throw new Error(`127.0.0.1:${port} ${why}`, {
        cause: error,
      });
    } finally {
      probe.destroy();
    }
  }
}
