// --trace: what happens on the wire, one line per socket event, on stdout beside the program's
// usual lines. Each line has the time since the program started, the peer, the event in Node's
// words and in the seed's (Python's socket calls), and the bytes, escaped, with their count.
// Off (the default), nothing is attached to any socket and nothing is printed.
import type { Socket as UdpSocket } from "node:dgram";
import type { Server, Socket } from "node:net";
import { writeFileSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { markdown, ownTraceDiagram, SHOWN_BY } from "../check/diagram.ts";
import { clientName, formatAddress } from "./address.ts";

/** Payloads longer than this are shown by their start; their length is always shown. */
const SHOW_BYTES = 60;
/** Past this much unwritten output, trace lines are counted instead of printed. */
const MAX_PENDING_OUTPUT = 1024 * 1024;

let enabled = false;
let dropped = 0;
/** With --trace-diagram, every trace line, kept for the diagram written at exit. */
let kept: string[] | undefined;

/**
 * Turns tracing on; with `diagramFile` (--trace-diagram), the lines are also drawn, when the
 * program ends, as a sequence diagram in that Markdown file (check/diagram.ts draws it).
 */
export function enableTrace(diagramFile?: string): void {
  enabled = true;
  if (diagramFile === undefined) return;
  kept = [];
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), diagramFile);
  // server.ts, run by tsx or as the checker compiled it (server.mjs).
  const script = process.argv[1] ?? "the program";
  const program = `${basename(script, extname(script))}.ts`;
  process.once("exit", () => {
    const title = `${program}, as its --trace saw it`;
    writeFileSync(path, markdown(title, ownTraceDiagram(kept ?? [], program)));
    console.log(`Wrote ${path}: ${SHOWN_BY}`);
  });
}

export function tracing(): boolean {
  return enabled;
}

/** One trace line: `trace | +0.012s 127.0.0.1:5555 'data' = recv(): 3 bytes "pyt"`. */
export function trace(peer: string, event: string, detail = ""): void {
  if (!enabled) return;
  // A flood of events must not queue output without bound: count what cannot be written.
  if (process.stdout.writableLength > MAX_PENDING_OUTPUT) {
    dropped += 1;
    return;
  }
  if (dropped > 0) {
    write(`${stamp()} ${dropped} event(s) not shown: the output could not keep up`);
    dropped = 0;
  }
  const line = `${stamp()} ${peer} ${event}${detail === "" ? "" : `: ${detail}`}`;
  kept?.push(`trace | ${line}`);
  write(line);
}

/** `3 bytes "pyt"`, escaped; long payloads shortened, their length kept. */
export function bytes(data: Buffer | string): string {
  const buffer = typeof data === "string" ? Buffer.from(data) : data;
  if (buffer.length === 0) return "0 bytes (empty)";
  const shown = buffer.subarray(0, SHOW_BYTES).toString("utf8");
  const more = buffer.length > SHOW_BYTES ? "..." : "";
  return `${buffer.length} byte${buffer.length === 1 ? "" : "s"} ${JSON.stringify(shown)}${more}`;
}

/** A listening TCP server: its listen() and each accepted connection. */
export function traceServer(server: Server, where: string): void {
  if (!enabled) return;
  trace(where, "'listening' = bind() + listen()");
  server.prependListener("connection", (socket: Socket) => {
    const peer = clientName(socket);
    trace(peer, "'connection' = accept()");
    traceSocket(socket, peer);
  });
}

/** A client's connect(). */
export function traceConnect(socket: Socket, where: string): void {
  if (!enabled) return;
  socket.prependOnceListener("connect", () => {
    trace(where, "'connect' = connect()", `from port ${socket.localPort ?? "?"}`);
  });
  traceSocket(socket, where);
}

/** Every read, write, half-close, error and close of one TCP socket. */
function traceSocket(socket: Socket, peer: string): void {
  socket.prependListener("data", (chunk: Buffer) => {
    trace(peer, "'data' = recv()", bytes(chunk));
  });
  socket.prependListener("end", () => {
    trace(peer, "'end' = the peer's shutdown(SHUT_WR): a FIN, it sends no more");
  });
  socket.prependListener("error", (error: NodeJS.ErrnoException) => {
    const what = error.code === "ECONNRESET" ? "a reset (RST) from the peer" : error.message;
    trace(peer, `'error' ${error.code ?? ""}`.trimEnd(), what);
  });
  socket.prependListener("close", () => {
    trace(peer, "'close' = close()");
  });
  // write() and end() are wrapped on this socket only: what we send, and our half-close.
  const write = socket.write.bind(socket);
  const end = socket.end.bind(socket);
  socket.write = ((...args: Parameters<Socket["write"]>) => {
    traceSent(peer, args[0]);
    return write(...args);
  }) as Socket["write"];
  socket.end = ((...args: Parameters<Socket["end"]>) => {
    traceSent(peer, args[0]);
    trace(peer, "end() = shutdown(SHUT_WR): a FIN, we send no more");
    return end(...args);
  }) as Socket["end"];
}

function traceSent(peer: string, data: unknown): void {
  if (typeof data === "string" || Buffer.isBuffer(data))
    trace(peer, "write() = send()", bytes(data));
}

/** A bound UDP socket: its bind() and each datagram that arrives. */
export function traceDatagrams(socket: UdpSocket): void {
  if (!enabled) return;
  const { address, port } = socket.address();
  trace(formatAddress(address, port), "'listening' = bind()");
  socket.prependListener("message", (data: Buffer, from) => {
    trace(formatAddress(from.address, from.port), "'message' = recvfrom()", bytes(data));
  });
}

/** One datagram sent. */
export function traceSend(data: Buffer, address: string, port: number): void {
  if (!enabled) return;
  trace(formatAddress(address, port), "send() = sendto()", bytes(data));
}

function stamp(): string {
  return `+${(performance.now() / 1000).toFixed(3)}s`;
}

/** A trace line, kept apart from the transcript by its prefix (dim on a terminal). */
function write(line: string): void {
  const dim = process.stdout.isTTY && process.env.NO_COLOR === undefined;
  process.stdout.write(dim ? `\x1b[2mtrace | ${line}\x1b[22m\n` : `trace | ${line}\n`);
}
