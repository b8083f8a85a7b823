// Lesson 2 server: accepts one connection, sends it the bytes `Hello Client`, closes it, and exits.
// Run it:     npm run lesson:2:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 5002                  (or this lesson's client)
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { clientName, fail, formatAddress, isLoopback, listen } from "./cli.ts";
import { parseCommandLine, stopSignal } from "./cli.ts";

const GREETING = "Hello Client";

const usage = `Usage: server.ts [--host <name or address>] [--port <0-65535>] [--help]

Accepts one TCP connection, sends it "${GREETING}", closes it, and exits.
  --host  where to listen (default: loopback, 127.0.0.1 and ::1)
  --port  port to listen on (default: 5002; 0 picks a free port)`;

const { host, port } = parseCommandLine(usage, { client: false });
const stopped = stopSignal();

try {
  const { servers, addresses } = await listen(createServer, host, port);
  console.log(`Server is Running on ${addresses.join(" and ")}`);
  if (host !== undefined && !isLoopback(host)) {
    console.log(`Warning: listening on ${host}, so other machines on the network can connect.`);
  }
  try {
    // The first connection on any of the listening addresses is the one we greet.
    const [socket] = (await Promise.race(
      servers.map((server) => once(server, "connection", { signal: stopped })),
    )) as [Socket];
    for (const server of servers) server.close();
    const client = clientName(socket);
    // A reset that comes after the greeting has left is no concern of ours: we are done. This
    // handler stays for the socket's whole life, so a late error can never go unhandled.
    socket.on("error", () => undefined);
    try {
      // end() sends the bytes, then closes our side; 'finish' means they reached the OS.
      socket.end(GREETING);
      await once(socket, "finish");
      console.log(`Sent ${GREETING} to ${client}`);
    } catch (error) {
      socket.destroy();
      fail(error, client);
    }
  } catch (error) {
    if (!stopped.aborted) throw error;
    console.log("Server stopped before any client connected.");
  } finally {
    for (const server of servers) server.close();
  }
} catch (error) {
  fail(error, formatAddress(host ?? "localhost", port));
}
