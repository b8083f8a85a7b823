// Lesson 4 sender: sends one UDP datagram, `Happy Birth Day Server` or your own message, and
// exits. With --count N it sends N numbered datagrams as fast as it can, to show UDP losing some.
// Run it:     npm run lesson:4:client                       (from the repository root)
//             npm run lesson:4:client -- "Happy New Year"   (your own message)
//             echo Hi | npm run lesson:4:client -- -        (the message from standard input)
//             npm run lesson:4:client -- --count 100000     (a burst; watch the receiver's report)
//             npm run client                                (in this folder)
// Or use nc: echo hello | nc -u -w1 127.0.0.1 6004
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { formatAddress } from "./common/address.ts";
import { fail, failAt } from "./common/errors.ts";
import { addressFor, send, SEND_BUFFER_BYTES } from "./common/send.ts";
import { sendBurst } from "./datagrams.ts";
import { clientOptions, exitIfTooLarge, messageToSend } from "./flags.ts";

async function main(): Promise<void> {
  const options = clientOptions();
  const { host, port, count } = options;
  const message = await messageToSend(options.message);
  exitIfTooLarge(message);
  // Where to send: the name's IPv4 address when it has one, as Python's IPv4 socket does. A
  // datagram sent to ::1 (where macOS and Windows resolve `localhost` first) never reaches an
  // IPv4-only receiver, such as the seed's, and UDP says nothing.
  const resolved = await addressFor(host).catch(failAt(formatAddress(host, port)));
  if (resolved === undefined) return;
  const { address, family } = resolved;
  const where = formatAddress(address, port);

  // Python: s=socket.socket(type=socket.SOCK_DGRAM)
  // sendBufferSize: room for the largest datagram, whatever the system's default (macOS gives a
  // UDP socket 9,216 bytes, and a larger send fails with EMSGSIZE).
  const socket = createSocket({
    type: family === 6 ? "udp6" : "udp4",
    sendBufferSize: SEND_BUFFER_BYTES,
  });
  try {
    // Python: s.bind(('localhost',80))
    // Port 0: any free port. A sender need not choose one (the seed's 80 needs privileges).
    socket.bind({ port: 0, address: family === 6 ? "::" : "0.0.0.0" });
    await once(socket, "listening");
    const from = socket.address().port;

    if (count === undefined) {
      // Python: s.sendto(b'Happy Birth Day Server',('localhost',60))
      // One datagram, addressed on its own: no connection, and no word back on whether it
      // arrived. The callback says only that it left this machine.
      await send(socket, Buffer.from(message), port, address);
      console.log(`Sent ${Buffer.byteLength(message)} bytes to ${where} from ${from}`);
    } else {
      const seconds = await sendBurst(socket, { count, message, port, address });
      const rate = Math.round(count / seconds).toLocaleString("en-US");
      console.log(
        `Sent ${count} numbered datagrams to ${where} from ${from} in ${seconds.toFixed(2)} s (${rate} datagrams/s)`,
      );
    }
  } catch (error) {
    fail(error, where);
  } finally {
    socket.close();
  }
}

await main();
