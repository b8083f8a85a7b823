// Lesson 4 receiver: prints every UDP datagram that arrives, with its sender, until Ctrl+C.
// Numbered bursts from `client.ts --count N` are counted instead, and reported with their losses.
// Run it:     npm run lesson:4:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc -u 127.0.0.1 6004, then type a line  (or this lesson's sender)
import type { RemoteInfo } from "node:dgram";
import { once } from "node:events";
import { formatAddress, warnIfReachable } from "./common/address.ts";
import { addressesOf, bind } from "./common/bind.ts";
import { failAt } from "./common/errors.ts";
import { stopSignal } from "./common/shutdown.ts";
import { Bursts, describeDatagram } from "./datagrams.ts";
import { serverOptions } from "./flags.ts";

async function main(): Promise<void> {
  const { host, port, pauseMs } = serverOptions();
  const stopped = stopSignal();
  bursts.endAfter(pauseMs);

  // Python: s=socket.socket(type=socket.SOCK_DGRAM)
  // Python: s.bind(('localhost',60))
  // A UDP socket is bound, never listened on: there are no connections to accept, only
  // datagrams, each one whole, each with its sender's address.
  const sockets = await bind(host, port).catch(failAt(formatAddress(host ?? "localhost", port)));
  if (sockets === undefined) return;
  console.log(`Receiver is running on ${addressesOf(sockets)}`);
  warnIfReachable(host);

  // Python: while True:
  // Python:     b,add=s.recvfrom(1024)
  // No loop and no recvfrom(): Node calls receive() once per datagram ('message'), with all of
  // its bytes (up to 65,507, not the seed's 1024) and the sender's address.
  for (const socket of sockets) {
    socket.on("message", receive);
    // A UDP socket has no connection to lose; an error here is logged and receiving goes on.
    socket.on("error", (error) => {
      console.log(`Receive error: ${error.message}`);
    });
  }
  await once(stopped, "abort");
  bursts.reportAll();
  for (const socket of sockets) socket.close();
  console.log(`Receiver stopped: ${datagrams} datagram(s) from ${senders.size} sender(s).`);
}

const text = new TextDecoder(); // Not fatal: junk bytes show as U+FFFD instead of failing.
const bursts = new Bursts();
const senders = new Set<string>();
let datagrams = 0;

/**
 * One datagram, whole, and who sent it: counted, with its sender, for the line at Ctrl+C; then a
 * numbered one (--count) is counted in its sender's burst, and any other is printed as its text
 * and its sender.
 */
function receive(data: Buffer, from: RemoteInfo): void {
  const sender = formatAddress(from.address, from.port);
  datagrams += 1;
  senders.add(sender);
  const message = text.decode(data);
  if (bursts.count(message, sender)) return; // Numbered (--count): counted, not printed.
  // Python:     print(b.decode(),add)
  console.log(`${describeDatagram(message, data.length)} from ${sender}`);
}

await main();
