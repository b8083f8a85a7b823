// One client, from accept to close, and what the server does with all of them. Each client's
// bytes become requests (framing.ts), each whole request goes to the server's answer(), and the
// limits hold: an idle timeout (closeSilentConnections), a deadline for a request to arrive
// whole, a size limit, backpressure on replies, a cap on clients at once (turnAwayWhenFull)
// and, on Ctrl+C, a polite end for every connection (stopServing).
import { once } from "node:events";
import type { Server, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { closeAll } from "./common/listen.ts";
import { log } from "./common/log.ts";
import { type MessageHandler, MessageSplitter } from "./framing.ts";

// The server's limits, so that no client can take more than its share: a request's size and
// how long it may take to arrive, and how many clients are served at once.

/** The seed reads a request with recv(1024); a longer one is refused, so memory stays bounded. */
export const MAX_REQUEST_BYTES = 1024;
/** A request that trickles in must still finish within this many idle timeouts. */
export const REQUEST_DEADLINE_IDLE_TIMEOUTS = 3;
/** After refusing a client, how long it has to read our error line before we cut it off. */
export const LINGER_MS = 1000;

export interface ConnectionSettings {
  idleTimeoutMs: number;
  /** A request with no newline ends after this quiet time (--pause). */
  pauseMs: number;
  /** Called with each whole request; replies with connection.send(). */
  answer(connection: Connection, request: Buffer): void;
}

/** Every open connection, so that Ctrl+C can close each politely and silent ones can be found. */
export const openConnections = new Set<Connection>();
let stopping = false;

/** A class, so that a thousand clients share these methods instead of each holding its own. */
export class Connection implements MessageHandler {
  readonly socket: Socket;
  readonly client: string;
  private readonly settings: ConnectionSettings;
  private readonly requests: MessageSplitter;
  /** Runs while part of a request has arrived: the rest must come before it fires. */
  private deadline: NodeJS.Timeout | undefined;
  /** When the client last sent anything (performance.now(), which never jumps like a clock). */
  lastHeardAt = performance.now();

  constructor(socket: Socket, client: string, settings: ConnectionSettings) {
    this.socket = socket;
    this.client = client;
    this.settings = settings;
    const limits = { pauseMs: settings.pauseMs, maxBytes: MAX_REQUEST_BYTES };
    this.requests = new MessageSplitter(this, limits);
    // The client half-closed: what it sent last is a request, and it still gets its reply.
    socket.on("end", () => {
      this.requests.end();
      socket.end();
    });
    socket.on("close", () => {
      this.requests.stop();
      clearTimeout(this.deadline);
      openConnections.delete(this);
    });
    openConnections.add(this);
    closeSilentConnections(settings.idleTimeoutMs);
  }

  /** Bytes as they arrive, in pieces of any size: the splitter finds where requests end. */
  receive(chunk: Buffer): void {
    this.lastHeardAt = performance.now();
    this.requests.push(chunk);
    if (this.requests.hasPending && this.deadline === undefined) {
      const { idleTimeoutMs } = this.settings;
      const deadlineMs = Math.min(idleTimeoutMs * REQUEST_DEADLINE_IDLE_TIMEOUTS, MAX_TIMER_MS);
      this.deadline = setTimeout(() => {
        this.refuse("the request took too long to arrive");
      }, deadlineMs);
    }
  }

  /** Sends a reply. Backpressure: while the client is not reading replies, stop reading it. */
  send(text: string): void {
    const { socket, requests } = this;
    if (!socket.write(text) && !socket.isPaused()) {
      socket.pause();
      requests.hold(); // No bytes can arrive while we are not reading: that quiet ends nothing.
      socket.once("drain", () => {
        requests.release();
        socket.resume();
      });
    }
  }

  /** One whole request arrived (the splitter calls this). */
  onMessage(bytes: Buffer): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    this.settings.answer(this, bytes);
    if (stopping) this.endWhenIdle();
  }

  onTooLong(): void {
    this.refuse(`a request may be at most ${MAX_REQUEST_BYTES} bytes`);
  }

  /** Closes once the request in progress, if any, has been answered. */
  endWhenIdle(): void {
    if (!this.requests.hasPending) this.socket.end();
  }

  private refuse(reason: string): void {
    this.requests.stop();
    clearTimeout(this.deadline);
    log(`${this.client}: ${reason}, closing`);
    this.socket.end(`error: ${reason}\n`);
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }
}

/** The one timer that sweeps silent connections, once the first connection has started it. */
let sweeping: NodeJS.Timeout | undefined;

/**
 * From the first connection on, closes every connection that has been silent for
 * `idleTimeoutMs`. One timer checks them all, ten times per timeout, so a silent client goes 1
 * to 1.1 timeouts after its last byte. A timer per connection (socket.setTimeout()), restarted
 * on every read and write, cost 3 to 4 % of the server's rate under thousands of short
 * connections a second.
 */
function closeSilentConnections(idleTimeoutMs: number): void {
  if (sweeping !== undefined) return;
  const sweep = () => {
    const now = performance.now();
    for (const connection of openConnections) {
      // A destroyed socket leaves the set at its 'close' event, which may not have come yet.
      if (now - connection.lastHeardAt >= idleTimeoutMs && !connection.socket.destroyed) {
        log(`${connection.client}: silent for ${idleTimeoutMs / 1000} s, closing`);
        connection.socket.destroy();
      }
    }
  };
  // unref(): this timer alone does not keep the server running.
  sweeping = setInterval(sweep, Math.min(idleTimeoutMs / SWEEPS_PER_TIMEOUT, MAX_TIMER_MS));
  sweeping.unref();
}

const SWEEPS_PER_TIMEOUT = 10;
/** Node's timers hold at most 2^31 - 1 ms (24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Ctrl+C: each connection closes once its request in progress has been answered. */
export function endAllWhenIdle(): void {
  stopping = true;
  for (const connection of openConnections) connection.endWhenIdle();
}

/** Clients turned away with "server busy", until they have closed. */
export const turnedAway = new Set<Socket>();

/**
 * With `open` clients already served and `max` allowed, turns this one away with
 * "server busy" and returns true; else returns false.
 */
export function turnAwayWhenFull(socket: Socket, client: string, open: number, max: number) {
  if (open < max) return false;
  log(`${client}: refused, ${open} clients already connected`);
  socket.end("server busy\n");
  // Discard whatever it sends, so the connection can finish closing, and cut it off if not.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  turnedAway.add(socket);
  socket.once("close", () => turnedAway.delete(socket));
  return true;
}

// Ctrl+C (or SIGTERM) on a server with clients: refuse new connections, let each connection
// finish the request it is in, wait for them to close for at most SHUTDOWN_GRACE_MS, then cut
// off what is left and say how many had to be.

/** Replies in flight get this long to reach their clients (the contract allows 2 s in all). */
const SHUTDOWN_GRACE_MS = 1500;

/** Stops serving; resolves with how many connections had to be cut off. */
export async function stopServing(servers: Server[]): Promise<number> {
  closeAll(servers);
  endAllWhenIdle();
  const closing = [
    ...Array.from(openConnections, (connection) => connection.socket),
    ...turnedAway,
  ];
  const allClosed = Promise.all(closing.map((socket) => once(socket, "close")));
  const grace = AbortSignal.timeout(SHUTDOWN_GRACE_MS);
  await Promise.race([allClosed, once(grace, "abort")]);
  // Whatever Node still counts now did not close in time: a leak, or a client that hangs on.
  const cutOff = await countConnections(servers);
  for (const connection of openConnections) connection.socket.destroy();
  return cutOff;
}

/** How many connections the listening servers hold, as Node itself counts them. */
async function countConnections(servers: Server[]): Promise<number> {
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
