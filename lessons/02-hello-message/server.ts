// Lesson 2 server: accepts one connection, sends it the bytes `Hello Client`, closes it, and exits.
// Run it:     npm run lesson:2:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 5002                  (or this lesson's client)
import { once } from "node:events";
import { createServer } from "node:net";
import { clientName, formatAddress, warnIfReachable } from "./common/address.ts";
import { failAt } from "./common/errors.ts";
import { firstConnection } from "./common/first-connection.ts";
import { addressesOf, closeAll, listen } from "./common/listen.ts";
import { stopSignal } from "./common/shutdown.ts";
import { serverOptions } from "./flags.ts";

async function main(): Promise<void> {
  const { host, port } = serverOptions();
  const stopped = stopSignal();

  // Python: s=socket.socket()
  // Python: s.bind(("localhost",50))
  // Python: s.listen(10)
  const servers = await listen(() => createServer(), host, port).catch(
    failAt(formatAddress(host ?? "localhost", port)),
  );
  if (servers === undefined) return;
  // Python: print("Server is Running")
  console.log(`Server is Running on ${addressesOf(servers)}`);
  warnIfReachable(host);

  // Python: sc,add=s.accept()
  const socket = await firstConnection(servers, stopped);
  closeAll(servers);
  if (socket === undefined) {
    console.log("Server stopped before any client connected.");
    return;
  }
  const client = clientName(socket);
  socket.on("error", () => undefined); // For its whole life: a reset after the greeting is fine.

  // Python: msg="Hello Client"
  // Python: b=msg.encode()
  // Python: sc.send(b)
  // end() sends the bytes (UTF-8), then closes our side: the close tells the client that the
  // message is complete (TCP carries bytes, not messages). 'finish': the OS has the bytes.
  socket.end("Hello Client");
  if (await once(socket, "finish").then(() => true, failAt(client))) {
    console.log(`Sent Hello Client to ${client}`);
  }
}

await main();
