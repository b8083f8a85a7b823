// Lesson 1 client: connects to the server, says so, and closes the connection.
// Run it:     npm run lesson:1:client            (from the repository root)
//             npm run client                     (in this folder)
// Start the server first, in another terminal: npm run lesson:1:server
import { once } from "node:events";
import { connect } from "node:net";
import { formatAddress } from "./common/address.ts";
import { fail } from "./common/errors.ts";
import { traceConnect } from "./common/trace.ts";
import { clientOptions } from "./flags.ts";

async function main(): Promise<void> {
  const { host, port, timeoutMs } = clientOptions();

  // Python: s=socket.socket()
  // Python: s.connect(("localhost",60))
  // connect() makes the socket and starts TCP's handshake; 'connect' fires once it is done.
  // Python's connect() raised an error for no server; `once` rejects on 'error' the same way,
  // and on the time limit, which Python's had none of.
  const socket = connect({ host, port });
  traceConnect(socket, formatAddress(host, port)); // --trace
  try {
    await once(socket, "connect", { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    socket.destroy();
    fail(error, formatAddress(host, port));
    return;
  }
  // The address actually reached (127.0.0.1 or ::1 for localhost).
  console.log(
    `Connected to ${formatAddress(socket.remoteAddress ?? host, socket.remotePort ?? port)}`,
  );
  socket.end();
}

await main();
