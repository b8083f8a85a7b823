// Lesson 1 server: listens, accepts exactly one connection, says who connected, and exits.
// Run it:     npm run lesson:1:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 6001                  (or this lesson's client)
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { clientName, fail, formatAddress, isLoopback, listen } from "./cli.ts";
import { parseCommandLine, stopSignal } from "./cli.ts";

const usage = `Usage: server.ts [--host <name or address>] [--port <0-65535>] [--help]

Accepts one TCP connection, prints who connected, and exits.
  --host  where to listen (default: loopback, 127.0.0.1 and ::1)
  --port  port to listen on (default: 6001; 0 picks a free port)`;

const { host, port } = parseCommandLine(usage, { client: false });
const stopped = stopSignal();

try {
  const { servers, addresses } = await listen(createServer, host, port);
  console.log(`Server is running on ${addresses.join(" and ")}`);
  if (host !== undefined && !isLoopback(host)) {
    console.log(`Warning: listening on ${host}, so other machines on the network can connect.`);
  }
  try {
    // The first connection on any of the listening addresses is the one we accept.
    const [socket] = (await Promise.race(
      servers.map((server) => once(server, "connection", { signal: stopped })),
    )) as [Socket];
    // The client may already be gone (reset); we are closing anyway, so that is no error.
    socket.on("error", () => undefined);
    console.log(`Connection accepted from ${clientName(socket)}`);
    socket.end();
  } catch (error) {
    if (!stopped.aborted) throw error;
    console.log("Server stopped before any client connected.");
  } finally {
    for (const server of servers) server.close();
  }
} catch (error) {
  fail(error, formatAddress(host ?? "localhost", port));
}
