// Lesson 3 server: answers course-name lookups from many clients at once, until Ctrl+C.
// Run it:     npm run lesson:3:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 6003, then type a course name such as python and press Enter
//             (or this lesson's client: npm run lesson:3:client -- python)
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { DEFAULT_CATALOG, loadCatalog, normalizeCourse, NOT_AVAILABLE } from "./catalog.ts";
import { escapeText, explain, fail, formatAddress, isLoopback, listen } from "./cli.ts";
import { parseServerOptions, stopSignal } from "./cli.ts";
import { splitMessages } from "./framing.ts";

/** The seed reads a request with recv(1024); a longer one is refused, so memory stays bounded. */
const MAX_REQUEST_BYTES = 1024;
/** A request that trickles in must still finish within this many idle timeouts. */
const REQUEST_DEADLINE_IDLE_TIMEOUTS = 3;
/** After refusing a request, how long the client has to read our error line before we cut it. */
const LINGER_MS = 1000;
/** Ctrl+C gives replies in flight this long to reach their clients (the contract allows 2 s). */
const SHUTDOWN_GRACE_MS = 1500;

const usage = `Usage: server.ts [--host <address>] [--port <0-65535>] [--catalog <file>]
                 [--idle-timeout <seconds>] [--max-connections <n>] [--pause <seconds>] [--quiet] [--help]

Answers course-name lookups over TCP, one line per request, for many clients at once.
  --host             where to listen (default: loopback, 127.0.0.1 and ::1)
  --port             port to listen on (default: 6003; 0 picks a free port)
  --catalog          the course catalog, a JSON file (default: catalog.json beside server.ts)
  --idle-timeout     close a connection silent for this long (default: 30)
  --max-connections  clients served at once; more get "server busy" (default: 1000)
  --pause            a request with no newline ends after this quiet time (default: 0.1)
  --quiet            do not log each request`;

const options = parseServerOptions(usage);
const catalogFile = options.catalog ?? DEFAULT_CATALOG;
let catalog: Map<string, string>;
try {
  catalog = loadCatalog(catalogFile);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

// Log lines wait for the end of the current turn of the event loop and then go out in one
// write: writes to a terminal or pipe are synchronous, and one per request costs more than
// the lookup itself when many clients are served at once.
let pendingLog: string[] = [];
function log(line: string): void {
  if (options.quiet) return;
  if (pendingLog.length === 0) setImmediate(flushLog);
  pendingLog.push(line);
}
function flushLog(): void {
  if (pendingLog.length === 0) return;
  process.stdout.write(`${pendingLog.join("\n")}\n`);
  pendingLog = [];
}
const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Open connections, with a function that closes each one politely on Ctrl+C. */
const connections = new Map<Socket, () => void>();
/** Connections turned away with "server busy", until they have closed. */
const refused = new Set<Socket>();
let stopping = false;
let answered = 0;

function serve(socket: Socket): void {
  const client = formatAddress(socket.remoteAddress, socket.remotePort);
  // Every socket has an error handler: a client that resets or vanishes costs one log line.
  socket.on("error", (error) => {
    log(`${client}: ${explain(error, client)}`);
  });
  if (connections.size >= options.maxConnections) {
    log(`${client}: refused, ${connections.size} clients already connected`);
    socket.end("server busy\n");
    // Discard whatever it sends, so the connection can finish closing, and cut it off if not.
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
    refused.add(socket);
    socket.once("close", () => refused.delete(socket));
    return;
  }

  let deadline: NodeJS.Timeout | undefined;
  const requests = splitMessages({
    pauseMs: options.pauseMs,
    maxBytes: MAX_REQUEST_BYTES,
    onMessage: answer,
    onTooLong: () => {
      refuse(`a request may be at most ${MAX_REQUEST_BYTES} bytes`);
    },
  });
  const endWhenIdle = () => {
    if (!requests.hasPending) socket.end();
  };
  connections.set(socket, endWhenIdle);

  function answer(bytes: Buffer): void {
    clearTimeout(deadline);
    deadline = undefined;
    let course: string | undefined;
    try {
      course = utf8.decode(bytes);
    } catch {
      course = undefined; // Not UTF-8, so it cannot name a course.
    }
    const reply = course === undefined ? undefined : catalog.get(normalizeCourse(course));
    const asked = course === undefined ? "bytes that are not UTF-8" : `"${escapeText(course)}"`;
    log(`${client} asked for ${asked}: ${reply === undefined ? "not found" : "found"}`);
    answered += 1;
    // Backpressure: stop reading while the client is not reading our replies.
    if (!socket.write(`${reply ?? NOT_AVAILABLE}\n`) && !socket.isPaused()) {
      socket.pause();
      requests.hold(); // Bytes cannot arrive while we are not reading: that pause ends nothing.
      socket.once("drain", () => {
        requests.release();
        socket.resume();
      });
    }
    if (stopping) endWhenIdle();
  }

  function refuse(reason: string): void {
    requests.stop();
    clearTimeout(deadline);
    log(`${client}: ${reason}, closing`);
    socket.end(`error: ${reason}\n`);
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  }

  socket.setTimeout(options.idleTimeoutMs, () => {
    log(`${client}: silent for ${options.idleTimeoutMs / 1000} s, closing`);
    socket.destroy();
  });
  socket.on("data", (chunk: Buffer) => {
    requests.push(chunk);
    if (requests.hasPending && deadline === undefined) {
      deadline = setTimeout(() => {
        refuse("the request took too long to arrive");
      }, options.idleTimeoutMs * REQUEST_DEADLINE_IDLE_TIMEOUTS);
    }
  });
  // The client half-closed: what it sent last is a request, and it still gets its reply.
  socket.on("end", () => {
    requests.end();
    socket.end();
  });
  socket.on("close", () => {
    requests.stop();
    clearTimeout(deadline);
    connections.delete(socket);
  });
}

/** Ctrl+C: refuse new connections, deliver the replies in flight, then exit 0. */
async function shutdown(servers: Server[]): Promise<void> {
  stopping = true;
  for (const server of servers) server.close();
  for (const endWhenIdle of connections.values()) endWhenIdle();
  const closing = [...connections.keys(), ...refused];
  const allClosed = Promise.all(closing.map((socket) => once(socket, "close")));
  const grace = AbortSignal.timeout(SHUTDOWN_GRACE_MS);
  await Promise.race([allClosed, once(grace, "abort")]);
  // Whatever Node still counts now did not close in time: a leak, or a client that hangs on.
  const cutOff = await openConnections(servers);
  for (const socket of connections.keys()) socket.destroy();
  flushLog();
  console.log(
    `Server stopped after answering ${answered} request(s); ${cutOff} connection(s) had to be cut off.`,
  );
}

/** How many connections the listening servers hold, as Node itself counts them. */
async function openConnections(servers: Server[]): Promise<number> {
  const counts = servers.map(
    (server) =>
      new Promise<number>((resolve) => {
        server.getConnections((error, count) => {
          resolve(error ? 0 : count);
        });
      }),
  );
  return (await Promise.all(counts)).reduce((sum, count) => sum + count, 0);
}

const stopped = stopSignal();
try {
  // allowHalfOpen: a client that half-closes after its request still gets the reply.
  const create = () => createServer({ allowHalfOpen: true }, serve);
  // A backlog as deep as the connection limit: a burst of clients up to the limit waits to be
  // accepted instead of being turned away by the kernel (the OS may cap it: somaxconn).
  const backlog = Math.max(511, options.maxConnections);
  const { servers, addresses } = await listen(create, options.host, options.port, backlog);
  console.log(`Server is running on ${addresses.join(" and ")}`);
  if (options.host !== undefined && !isLoopback(options.host)) {
    console.log(
      `Warning: listening on ${options.host}, so other machines on the network can connect.`,
    );
  }
  await once(stopped, "abort");
  await shutdown(servers);
} catch (error) {
  fail(error, formatAddress(options.host ?? "localhost", options.port));
}
