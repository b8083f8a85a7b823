// Lesson 3 server: answers course-name lookups from many clients at once, until Ctrl+C.
// Run it:     npm run lesson:3:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 6003, then type a course name such as python and press Enter
//             (or this lesson's client: npm run lesson:3:client -- python)
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { clientName, formatAddress, warnIfReachable } from "./common/address.ts";
import { explain, failAt } from "./common/errors.ts";
import { escapeText } from "./common/escape.ts";
import { addressesOf, listen } from "./common/listen.ts";
import { flushLog, log, silenceLog } from "./common/log.ts";
import { stopSignal } from "./common/shutdown.ts";
import { decodeCourse, loadCatalogOrExit, normalizeCourse, NOT_AVAILABLE } from "./catalog.ts";
import {
  Connection,
  type ConnectionSettings,
  openConnections,
  stopServing,
  turnAwayWhenFull,
} from "./connection.ts";
import { serverOptions } from "./flags.ts";

async function main(): Promise<void> {
  const options = serverOptions();
  if (options.quiet) silenceLog();
  catalog = loadCatalogOrExit(options.catalog);
  const stopped = stopSignal();
  const settings = { idleTimeoutMs: options.idleTimeoutMs, pauseMs: options.pauseMs, answer };

  // Python: s=socket.socket()
  // allowHalfOpen: a client that half-closes after its request still gets the reply.
  const create = () =>
    createServer({ allowHalfOpen: true }, (socket) => {
      serve(socket, settings, options.maxConnections);
    });
  // Python: s.bind(("localhost",60))
  // Python: s.listen(10)
  // A backlog as deep as the connection limit lets a burst of clients wait to be accepted.
  const servers = await listen(
    create,
    options.host,
    options.port,
    Math.max(511, options.maxConnections),
  ).catch(failAt(formatAddress(options.host ?? "localhost", options.port)));
  if (servers === undefined) return;
  console.log(`Server is running on ${addressesOf(servers)}`);
  warnIfReachable(options.host);

  // Python: while True:
  // The seed's loop blocked in accept(), then in recv(), for one client at a time: a client
  // that never sent its course name held up everyone else. There is no loop here. Node's event
  // loop calls serve() for each connection as it arrives and connection.receive() for each
  // piece of data, so every client is served at once, and main() just waits for Ctrl+C.
  await once(stopped, "abort");
  const cutOff = await stopServing(servers);
  flushLog();
  console.log(
    `Server stopped after answering ${answered} request(s); ${cutOff} connection(s) had to be cut off.`,
  );
}

let catalog: Map<string, string>;
let answered = 0;

/** One client's connection, from the moment it is accepted. */
function serve(socket: Socket, settings: ConnectionSettings, maxConnections: number): void {
  // Python:     cs,add=s.accept()
  const client = clientName(socket);
  // Every socket has an error handler: a client that resets or vanishes costs one log line.
  socket.on("error", (error) => {
    log(explain(error, client));
  });
  if (turnAwayWhenFull(socket, client, openConnections.size, maxConnections)) return;
  const connection = new Connection(socket, client, settings);
  // Python:     b=cs.recv(1024)
  // Each 'data' event is what one recv() would have returned: the bytes that have arrived so
  // far, not a whole request. The connection gathers them until a request ends (framing.ts).
  socket.on("data", (chunk: Buffer) => {
    connection.receive(chunk);
  });
}

/** One whole request in, one reply out. */
function answer(connection: Connection, request: Buffer): void {
  // Python:     course=b.decode()
  const course = decodeCourse(request);
  // Python:     if course=="python": ... elif course=="java": ... else:
  // The if/elif chain is a table (catalog.json), matched ignoring case and surrounding spaces.
  const reply = course === undefined ? undefined : catalog.get(normalizeCourse(course));
  const asked = course === undefined ? "bytes that are not UTF-8" : `"${escapeText(course)}"`;
  log(`${connection.client} asked for ${asked}: ${reply === undefined ? "not found" : "found"}`);
  answered += 1;
  // Python:         cs.send('CourseName:Python,Duration:1Year,Fee=4000'.encode())
  // Python:         cs.send("this course is not available".encode())
  // A newline ends each reply, so the client knows where it ends.
  connection.send(`${reply ?? NOT_AVAILABLE}\n`);
}

await main();
