// Lesson 1 server: listens, accepts exactly one connection, says who connected, and exits.
// Run it:     npm run lesson:1:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 6001                  (or this lesson's client)
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
  // Python: s.bind(("localhost",60))
  // Python: s.listen(5)
  // createServer() makes the socket; listen() binds it to the port and starts listening, on
  // 127.0.0.1 and ::1 both, so `localhost` reaches it whichever it resolves to.
  const servers = await listen(() => createServer(), host, port).catch(
    failAt(formatAddress(host ?? "localhost", port)),
  );
  if (servers === undefined) return;
  // Python: print("Server is running")
  console.log(`Server is running on ${addressesOf(servers)}`);
  warnIfReachable(host);

  // Python: cs=s.accept()
  // accept() blocked Python until a client came. Here we wait for the first 'connection'
  // event: the program waits, the event loop does not, so Ctrl+C still stops it.
  const socket = await firstConnection(servers, stopped);
  closeAll(servers);
  if (socket === undefined) {
    console.log("Server stopped before any client connected.");
    return;
  }
  socket.on("error", () => undefined); // A client already gone (reset) is no error: we are done.
  // Python: print("Connection accepted")
  console.log(`Connection accepted from ${clientName(socket)}`);
  // The seed never closed its sockets; closing ours tells the client we are done.
  socket.end();
}

await main();
