// Lesson 2 client: connects, reads everything the server sends until it closes, and prints it.
// Run it:     npm run lesson:2:client            (from the repository root)
//             npm run client                     (in this folder)
// Start the server first, in another terminal: npm run lesson:2:server
import { connect } from "node:net";
import { addAbortSignal } from "node:stream";
import { escapeText, fail, formatAddress, parseCommandLine } from "./cli.ts";

const usage = `Usage: client.ts [--host <name or address>] [--port <1-65535>] [--timeout <seconds>] [--help]

Connects to the lesson 2 server over TCP and prints the message it sends.
  --host     server to connect to (default: localhost)
  --port     server port (default: 5002)
  --timeout  seconds to wait for the whole message (default: 5)`;

const { host = "localhost", port, timeoutMs } = parseCommandLine(usage, { client: true });
// The time limit covers everything: connecting, and every piece of the message.
const socket = addAbortSignal(AbortSignal.timeout(timeoutMs), connect({ host, port }));

try {
  // TCP is a stream of bytes, not of messages: "Hello Client" may arrive as "Hel" + "lo Client".
  // So read until the server closes its side ('end'), and only then decode the whole.
  const pieces: Buffer[] = [];
  for await (const piece of socket) pieces.push(piece as Buffer);
  console.log(escapeText(Buffer.concat(pieces).toString("utf8")));
} catch (error) {
  fail(error, formatAddress(host, port));
} finally {
  socket.destroy();
}
