// Lesson 4 sender: sends one UDP datagram, `Happy Birth Day Server` or your own message, and
// exits. With --count N it sends N numbered datagrams as fast as it can, to show UDP losing some.
// Run it:     npm run lesson:4:client                       (from the repository root)
//             npm run lesson:4:client -- "Happy New Year"   (your own message)
//             npm run lesson:4:client -- --count 100000     (a burst; watch the receiver's report)
//             npm run client                                (in this folder)
// Or use nc: echo hello | nc -u -w1 127.0.0.1 6004
import { createSocket, type Socket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { once } from "node:events";
import { numbered } from "./bursts.ts";
import { fail, formatAddress, parseClientOptions } from "./cli.ts";

/** The most data one UDP datagram over IPv4 can carry: 65,535 - 8 (UDP) - 20 (IP header). */
const MAX_DATAGRAM_BYTES = 65_507;
/** How many sends a burst keeps in flight: enough to keep the socket busy, not to flood memory. */
const SENDS_IN_FLIGHT = 256;

const usage = `Usage: client.ts [message] [--host <address>] [--port <1-65535>] [--count <n>] [--help]

Sends one UDP datagram (default: "Happy Birth Day Server") and exits. Nothing comes back: UDP
does not tell the sender whether anyone received it.
  --host   receiver to send to (default: localhost)
  --port   receiver port (default: 6004)
  --count  send n numbered datagrams as fast as possible instead, to measure loss`;

const { host, port, count, message = "Happy Birth Day Server" } = parseClientOptions(usage);
let where = formatAddress(host, port);

/** Sends one datagram; every send has a callback, because without one Node drops its errors. */
function send(socket: Socket, data: Buffer, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.send(data, port, address, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

const size = Buffer.byteLength(message);
if (size > MAX_DATAGRAM_BYTES) {
  console.error(
    `The message is ${size} bytes, but one UDP datagram carries at most ${MAX_DATAGRAM_BYTES} bytes. Send a shorter message.`,
  );
  process.exit(1);
}

let socket: Socket | undefined;
try {
  // Send to the address family that the name resolves to first: a udp4 socket cannot reach
  // ::1, and a datagram sent where nobody listens is lost without any error.
  const { address, family } = await lookup(host);
  where = formatAddress(address, port);
  socket = createSocket(family === 6 ? "udp6" : "udp4");
  socket.bind({ port: 0, address: family === 6 ? "::" : "0.0.0.0" });
  await once(socket, "listening");
  const from = socket.address().port;

  if (count === undefined) {
    await send(socket, Buffer.from(message), address);
    console.log(`Sent ${size} bytes to ${where} from ${from}`);
  } else {
    const started = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let seq = 1; seq <= count; seq += 1) {
      const sending = send(socket, Buffer.from(numbered(seq, count, message)), address);
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending)).catch(() => undefined);
      if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(count / seconds).toLocaleString("en-US");
    console.log(
      `Sent ${count} numbered datagrams to ${where} from ${from} in ${seconds.toFixed(2)} s (${rate} datagrams/s)`,
    );
  }
} catch (error) {
  fail(error, where);
} finally {
  socket?.close();
}
