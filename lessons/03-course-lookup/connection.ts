// One client, from accept to close. Its bytes become requests (framing.ts), each whole request
// goes to the server's answer(), and the limits hold: an idle timeout, a deadline for a request
// to arrive whole, a size limit, and backpressure on replies. A class, so that a thousand
// clients share these methods instead of each holding its own functions.
import type { Socket } from "node:net";
import { MessageSplitter, type MessageHandler } from "./framing.ts";
import { LINGER_MS, MAX_REQUEST_BYTES, REQUEST_DEADLINE_IDLE_TIMEOUTS } from "./limits.ts";
import { log } from "./log.ts";

export interface ConnectionSettings {
  idleTimeoutMs: number;
  /** A request with no newline ends after this quiet time (--pause). */
  pauseMs: number;
  /** Called with each whole request; replies with connection.send(). */
  answer(connection: Connection, request: Buffer): void;
}

/** Every open connection, so that Ctrl+C can close each politely. */
export const openConnections = new Set<Connection>();
let stopping = false;

export class Connection implements MessageHandler {
  readonly socket: Socket;
  readonly client: string;
  private readonly settings: ConnectionSettings;
  private readonly requests: MessageSplitter;
  /** Runs while part of a request has arrived: the rest must come before it fires. */
  private deadline: NodeJS.Timeout | undefined;

  constructor(socket: Socket, client: string, settings: ConnectionSettings) {
    this.socket = socket;
    this.client = client;
    this.settings = settings;
    const limits = { pauseMs: settings.pauseMs, maxBytes: MAX_REQUEST_BYTES };
    this.requests = new MessageSplitter(this, limits);
    socket.setTimeout(settings.idleTimeoutMs, () => {
      log(`${client}: silent for ${settings.idleTimeoutMs / 1000} s, closing`);
      socket.destroy();
    });
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
  }

  /** Bytes as they arrive, in pieces of any size: the splitter finds where requests end. */
  receive(chunk: Buffer): void {
    this.requests.push(chunk);
    if (this.requests.hasPending && this.deadline === undefined) {
      this.deadline = setTimeout(() => {
        this.refuse("the request took too long to arrive");
      }, this.settings.idleTimeoutMs * REQUEST_DEADLINE_IDLE_TIMEOUTS);
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

/** Ctrl+C: each connection closes once its request in progress has been answered. */
export function endAllWhenIdle(): void {
  stopping = true;
  for (const connection of openConnections) connection.endWhenIdle();
}
