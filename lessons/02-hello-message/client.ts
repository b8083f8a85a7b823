// Lesson 2 client: connects, reads everything the server sends until it closes, and prints it.
// Run it:     npm run lesson:2:client            (from the repository root)
//             npm run client                     (in this folder)
// Start the server first, in another terminal: npm run lesson:2:server
import { connect } from "node:net";
import { addAbortSignal } from "node:stream";
import { formatAddress } from "./common/address.ts";
import { fail } from "./common/errors.ts";
import { escapeText } from "./common/escape.ts";
import { traceConnect } from "./common/trace.ts";
import { clientOptions } from "./flags.ts";

async function main(): Promise<void> {
  const { host, port, timeoutMs } = clientOptions();

  // Python: s=socket.socket()
  // Python: s.connect(("localhost",50))
  // The time limit covers everything: connecting, and every piece of the message.
  const socket = addAbortSignal(AbortSignal.timeout(timeoutMs), connect({ host, port }));
  traceConnect(socket, formatAddress(host, port)); // --trace
  try {
    const pieces: Buffer[] = [];
    // Python: data=s.recv(1024)
    // One recv() returns whatever bytes have arrived, which may be "Hel" of "Hello Client":
    // TCP is a stream of bytes, not of messages. So read until the server closes its side
    // (the loop ends at 'end'), and only then decode the whole.
    for await (const piece of socket) pieces.push(piece as Buffer);
    // Python: print(data.decode())
    console.log(escapeText(Buffer.concat(pieces).toString("utf8")));
  } catch (error) {
    fail(error, formatAddress(host, port));
  } finally {
    socket.destroy();
  }
}

await main();
