// Lesson 3 server: answers course-name lookups from many clients at once, until Ctrl+C.
// Run it:     npm run lesson:3:server            (from the repository root)
//             npm run server                     (in this folder)
// Talk to it: nc 127.0.0.1 6003, then type a course name such as python and press Enter
//             (or this lesson's client: npm run lesson:3:client -- python)
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { DEFAULT_CATALOG, loadCatalog, normalizeCourse, NOT_AVAILABLE } from "./catalog.ts";
import { clientName, escapeText, explain, fail, formatAddress, isLoopback } from "./cli.ts";
import { listen } from "./cli.ts";
import { parseServerOptions, stopSignal } from "./cli.ts";
import { MessageSplitter, type MessageHandler } from "./framing.ts";

/** The seed reads a request with recv(1024); a longer one is refused, so memory stays bounded. */
const MAX_REQUEST_BYTES = 1024;
/** A request that trickles in must still finish within this many idle timeouts. */
const REQUEST_DEADLINE_IDLE_TIMEOUTS = 3;
/** After refusing a request, how long the client has to read our error line before we cut it. */
const LINGER_MS = 1000;
/** Ctrl+C gives replies in flight this long to reach their clients (the contract allows 2 s). */
const SHUTDOWN_GRACE_MS = 1500;
/** Log lines wait at most this long, so that many of them go out in one write. */
const LOG_INTERVAL_MS = 50;

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

// Log lines are gathered and written together: a write to a terminal or pipe is a synchronous
// system call, and one per request would cost more than the lookup itself.
let pendingLog: string[] = [];
function log(line: string): void {
  if (options.quiet) return;
  if (pendingLog.length === 0) setTimeout(flushLog, LOG_INTERVAL_MS).unref();
  pendingLog.push(line);
}
function flushLog(): void {
  if (pendingLog.length === 0) return;
  process.stdout.write(`${pendingLog.join("\n")}\n`);
  pendingLog = [];
}
process.on("exit", flushLog);

const utf8 = new TextDecoder("utf-8", { fatal: true });
const requestLimits = { pauseMs: options.pauseMs, maxBytes: MAX_REQUEST_BYTES };
/** Open connections, each closed politely on Ctrl+C. */
const connections = new Set<Connection>();
/** Connections turned away with "server busy", until they have closed. */
const refused = new Set<Socket>();
let stopping = false;
let answered = 0;

function serve(socket: Socket): void {
  const client = clientName(socket);
  // Every socket has an error handler: a client that resets or vanishes costs one log line.
  socket.on("error", (error) => {
    log(explain(error, client));
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
  connections.add(new Connection(socket, client));
}

/**
 * One client, from connect to close: its bytes become requests, and each gets a reply. A class,
 * so that a thousand clients share these methods instead of each holding its own functions.
 */
class Connection implements MessageHandler {
  readonly socket: Socket;
  private readonly client: string;
  private readonly requests: MessageSplitter;
  /** Runs while part of a request has arrived: the rest must come before it fires. */
  private deadline: NodeJS.Timeout | undefined;

  constructor(socket: Socket, client: string) {
    this.socket = socket;
    this.client = client;
    this.requests = new MessageSplitter(this, requestLimits);
    socket.setTimeout(options.idleTimeoutMs, () => {
      log(`${client}: silent for ${options.idleTimeoutMs / 1000} s, closing`);
      socket.destroy();
    });
    socket.on("data", (chunk: Buffer) => {
      this.receive(chunk);
    });
    // The client half-closed: what it sent last is a request, and it still gets its reply.
    socket.on("end", () => {
      this.requests.end();
      socket.end();
    });
    socket.on("close", () => {
      this.requests.stop();
      clearTimeout(this.deadline);
      connections.delete(this);
    });
  }

  /** Ctrl+C: close once the request in progress, if any, has been answered. */
  endWhenIdle(): void {
    if (!this.requests.hasPending) this.socket.end();
  }

  private receive(chunk: Buffer): void {
    this.requests.push(chunk);
    if (this.requests.hasPending && this.deadline === undefined) {
      this.deadline = setTimeout(() => {
        this.refuse("the request took too long to arrive");
      }, options.idleTimeoutMs * REQUEST_DEADLINE_IDLE_TIMEOUTS);
    }
  }

  /** One whole request arrived: look it up and reply. */
  onMessage(bytes: Buffer): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    let course: string | undefined;
    try {
      course = utf8.decode(bytes);
    } catch {
      course = undefined; // Not UTF-8, so it cannot name a course.
    }
    const reply = course === undefined ? undefined : catalog.get(normalizeCourse(course));
    const asked = course === undefined ? "bytes that are not UTF-8" : `"${escapeText(course)}"`;
    log(`${this.client} asked for ${asked}: ${reply === undefined ? "not found" : "found"}`);
    answered += 1;
    this.send(`${reply ?? NOT_AVAILABLE}\n`);
    if (stopping) this.endWhenIdle();
  }

  onTooLong(): void {
    this.refuse(`a request may be at most ${MAX_REQUEST_BYTES} bytes`);
  }

  private send(text: string): void {
    const { socket, requests } = this;
    // Backpressure: stop reading while the client is not reading our replies.
    if (!socket.write(text) && !socket.isPaused()) {
      socket.pause();
      requests.hold(); // Bytes cannot arrive while we are not reading: that pause ends nothing.
      socket.once("drain", () => {
        requests.release();
        socket.resume();
      });
    }
  }

  private refuse(reason: string): void {
    this.requests.stop();
    clearTimeout(this.deadline);
    log(`${this.client}: ${reason}, closing`);
    this.socket.end(`error: ${reason}\n`);
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }
}

/** Ctrl+C: refuse new connections, deliver the replies in flight, then exit 0. */
async function shutdown(servers: Server[]): Promise<void> {
  stopping = true;
  for (const server of servers) server.close();
  for (const connection of connections) connection.endWhenIdle();
  const closing = [...Array.from(connections, (connection) => connection.socket), ...refused];
  const allClosed = Promise.all(closing.map((socket) => once(socket, "close")));
  const grace = AbortSignal.timeout(SHUTDOWN_GRACE_MS);
  await Promise.race([allClosed, once(grace, "abort")]);
  // Whatever Node still counts now did not close in time: a leak, or a client that hangs on.
  const cutOff = await openConnections(servers);
  for (const connection of connections) connection.socket.destroy();
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
