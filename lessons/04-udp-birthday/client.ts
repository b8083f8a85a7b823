// Lesson 4 sender: sends one UDP datagram, `Happy Birth Day Server` or your own message, and
// exits. With --count N it sends N numbered datagrams as fast as it can, to show UDP losing some.
// Run it:     npm run lesson:4:client                       (from the repository root)
//             npm run lesson:4:client -- "Happy New Year"   (your own message)
//             npm run lesson:4:client -- --count 100000     (a burst; watch the receiver's report)
//             npm run client                                (in this folder)
// Or use nc: echo hello | nc -u -w1 127.0.0.1 6004
import { createSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { once } from "node:events";
import { formatAddress } from "./address.ts";
import { fail, failAt } from "./errors.ts";
import { clientOptions } from "./flags.ts";
import { exitIfTooLarge, send, sendBurst } from "./send.ts";

async function main(): Promise<void> {
  const { host, port, count, message = "Happy Birth Day Server" } = clientOptions();
  exitIfTooLarge(message);
  // Send to the address family that the name resolves to first: a udp4 socket cannot reach
  // ::1, and a datagram sent where nobody listens is lost without any error.
  const resolved = await lookup(host).catch(failAt(formatAddress(host, port)));
  if (resolved === undefined) return;
  const { address, family } = resolved;
  const where = formatAddress(address, port);

  // Python: s=socket.socket(type=socket.SOCK_DGRAM)
  const socket = createSocket(family === 6 ? "udp6" : "udp4");
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
