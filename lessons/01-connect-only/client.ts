// Lesson 1 client: connects to the server, says so, and closes the connection.
// Run it:     npm run lesson:1:client            (from the repository root)
//             npm run client                     (in this folder)
// Start the server first, in another terminal: npm run lesson:1:server
import { once } from "node:events";
import { connect } from "node:net";
import { fail, formatAddress, parseCommandLine } from "./cli.ts";

const usage = `Usage: client.ts [--host <name or address>] [--port <1-65535>] [--timeout <seconds>] [--help]

Connects to the lesson 1 server over TCP, prints where it connected, and closes.
  --host     server to connect to (default: localhost)
  --port     server port (default: 6001)
  --timeout  seconds to wait for the connection (default: 5)`;

const { host = "localhost", port, timeoutMs } = parseCommandLine(usage, { client: true });
const socket = connect({ host, port });

try {
  // `once` rejects if 'error' comes first (no server, unknown host) or the time runs out.
  await once(socket, "connect", { signal: AbortSignal.timeout(timeoutMs) });
  // The address actually reached (127.0.0.1 or ::1 for localhost); the one asked for if the
  // server had already reset the connection, so `undefined` is never printed.
  console.log(
    `Connected to ${formatAddress(socket.remoteAddress ?? host, socket.remotePort ?? port)}`,
  );
  socket.end();
} catch (error) {
  socket.destroy();
  fail(error, formatAddress(host, port));
}
