// What this lesson's receiver and sender share: their flags, where the receiver binds,
// and the one-sentence explanations of socket errors. Every lesson has its own copy of this
// file on purpose, so that a lesson folder can be copied out and run on its own.
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { isIP } from "node:net";
import { parseArgs } from "node:util";

export const DEFAULT_PORT = 6004;
/** The loopback addresses a default server listens on, so `localhost` works as IPv4 or IPv6. */
export const LOOPBACK = ["127.0.0.1", "::1"];

export interface ServerOptions {
  host: string | undefined;
  port: number;
}

export interface ClientOptions {
  host: string;
  port: number;
  count: number | undefined;
  message: string | undefined;
}

/** Parses the receiver's flags; prints usage and exits on --help (0) or a bad flag (2). */
export function parseServerOptions(usage: string): ServerOptions {
  return parseOrExit(usage, () => {
    const { values } = parseArgs({ options: commonFlags });
    return { help: values.help, host: values.host, port: parsePort(values.port, 0) };
  });
}

/** Parses the sender's flags and message; exits like parseServerOptions. */
export function parseClientOptions(usage: string): ClientOptions {
  return parseOrExit(usage, () => {
    const { values, positionals } = parseArgs({
      options: { ...commonFlags, count: { type: "string" } },
      allowPositionals: true,
    });
    return {
      help: values.help,
      host: values.host ?? "localhost",
      port: parsePort(values.port, 1),
      count: values.count === undefined ? undefined : parseCount(values.count, "--count"),
      message: positionals.length > 0 ? positionals.join(" ") : undefined,
    };
  });
}

const commonFlags = {
  host: { type: "string" },
  port: { type: "string", default: String(DEFAULT_PORT) },
  help: { type: "boolean", default: false },
} as const;

function parseOrExit<T>(usage: string, parse: () => T & { help: boolean }): T {
  let options: T & { help: boolean };
  try {
    options = parse();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(usage);
    process.exit(0);
  }
  return options;
}

function parsePort(text: string, lowest: number): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= lowest && port <= 65535)) {
    throw new Error(`--port must be a whole number from ${lowest} to 65535, not "${text}".`);
  }
  return port;
}

function parseCount(text: string, flag: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(count >= 1)) throw new Error(`${flag} must be a whole number from 1 up, not "${text}".`);
  return count;
}

/** `host:port`, with brackets around an IPv6 address as in a URL. */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  return isIP(host ?? "") === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export function isLoopback(address: string): boolean {
  return address === "localhost" || address === "::1" || address.startsWith("127.");
}

/**
 * Binds UDP sockets. With no --host (or `localhost`) it binds both loopback addresses at one
 * port, because a sender's `localhost` may resolve to either, and a datagram sent to the other
 * address family is lost without any error. A machine without IPv6 gets IPv4 only.
 * Returns the bound sockets and the addresses they receive on.
 */
export async function bind(
  host: string | undefined,
  port: number,
): Promise<{ sockets: Socket[]; addresses: string[] }> {
  const hosts = host === undefined || host === "localhost" ? LOOPBACK : [host];
  const sockets: Socket[] = [];
  for (const address of hosts) {
    const socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
    socket.bind({ address, port, exclusive: true });
    try {
      await once(socket, "listening");
    } catch (error) {
      socket.close();
      if (address === "::1" && sockets.length > 0 && isNoIpv6(error)) break;
      for (const bound of sockets) bound.close();
      throw error;
    }
    sockets.push(socket);
    // Port 0 means "any free port": the second loopback address must use the one just chosen.
    port = socket.address().port;
  }
  const addresses = sockets.map((socket) => {
    const { address, port: bound } = socket.address();
    return formatAddress(address, bound);
  });
  return { sockets, addresses };
}

function isNoIpv6(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT";
}

/** The sentence a student reads when a socket fails, instead of a stack trace. */
export function explain(error: unknown, where: string): string {
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  switch (code) {
    case "EADDRINUSE":
      return `UDP port ${port ?? where} is already in use: another receiver, perhaps this lesson's in another terminal, is running there. Stop it, or choose another port with --port.`;
    case "EACCES":
      return `Listening on ${where} needs privileges here (ports below 1024 do on Linux and macOS). Choose a port from 1024 up with --port.`;
    case "EADDRNOTAVAIL":
      return `Cannot listen on ${where}: that address does not belong to this machine. Check --host.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot find the host in ${where}. Check the name given to --host.`;
    case "EMSGSIZE":
      return `The datagram is too large to send to ${where}: UDP carries at most 65,507 bytes of data.`;
    default:
      // Our own errors carry no code and are already a sentence.
      if (code === undefined && error instanceof Error) return error.message;
      return `Socket error on ${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Prints the sentence for an error and sets a failing exit code. */
export function fail(error: unknown, where: string): void {
  console.error(explain(error, where));
  process.exitCode = 1;
}

/** An AbortSignal that fires on Ctrl+C or SIGTERM, so a server can stop cleanly. */
export function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}

/**
 * Text from the network with its control characters escaped (`\x1b`, `\n`, ...), so that a peer
 * cannot move the cursor, change the window title or clear the screen of whoever reads it.
 */
export function escapeText(text: string): string {
  // Control characters (C0, DEL and C1), and the Unicode bidirectional overrides.
  return text.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, (character) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    const code = character.codePointAt(0) ?? 0;
    return (
      named[character] ??
      (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`)
    );
  });
}
