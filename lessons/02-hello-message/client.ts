// Lesson 2 client: connects, reads everything the server sends until it closes, and prints it.
// Run it:     npm run lesson:2:client            (from the repository root)
//             npm run client                     (in this folder)
// Start the server first, in another terminal: npm run lesson:2:server
import { connect, type Socket } from "node:net";
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
    // Python: data=s.recv(1024)
    // One recv() returns whatever bytes have arrived, which may be "Hel" of "Hello Client":
    // TCP is a stream of bytes, not of messages. So read until the server closes its side,
    // and only then decode the whole.
    const data = await readUntilClose(socket);
    // Python: print(data.decode())
    console.log(escapeText(data.toString("utf8")));
  } catch (error) {
    fail(error, formatAddress(host, port));
  } finally {
    socket.destroy();
  }
}

/**
 * Every byte the peer sends until it closes its side (the end of the stream), in one Buffer.
 * Each 'data' event is one piece, of any size; the loop over the socket ends at 'end'.
 */
async function readUntilClose(socket: Socket): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of socket) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}

await main();
