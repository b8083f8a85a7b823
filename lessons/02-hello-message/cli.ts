// What this lesson's server and client share: their flags, where the server listens,
// and the one-sentence explanations of socket errors. Every lesson has its own copy of this
// file on purpose, so that a lesson folder can be copied out and run on its own.
import { once } from "node:events";
import { isIP } from "node:net";
import type { Server, Socket } from "node:net";
import { parseArgs } from "node:util";

export const LESSON = 2;
export const DEFAULT_PORT = 5002;
/** The loopback addresses a default server listens on, so `localhost` works as IPv4 or IPv6. */
export const LOOPBACK = ["127.0.0.1", "::1"];

export interface CommonOptions {
  host: string | undefined;
  port: number;
  timeoutMs: number;
}

/** Parses the flags every program shares; prints usage and exits on --help or a bad flag. */
export function parseCommandLine(usage: string, { client }: { client: boolean }): CommonOptions {
  try {
    const { values } = parseArgs({
      options: {
        host: { type: "string" },
        port: { type: "string", default: String(DEFAULT_PORT) },
        help: { type: "boolean", default: false },
        ...(client ? { timeout: { type: "string", default: "5" } } : {}),
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const timeout = typeof values.timeout === "string" ? values.timeout : "5";
    return {
      host: values.host,
      port: parsePort(values.port, { allowZero: !client }),
      timeoutMs: parseSeconds(timeout, "--timeout") * 1000,
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}

function parsePort(text: string, { allowZero }: { allowZero: boolean }): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  const lowest = allowZero ? 0 : 1;
  if (!(port >= lowest && port <= 65535)) {
    throw new Error(`--port must be a whole number from ${lowest} to 65535, not "${text}".`);
  }
  return port;
}

function parseSeconds(text: string, flag: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0))
    throw new Error(`${flag} must be a number of seconds above 0, not "${text}".`);
  return seconds;
}

/** `host:port`, with brackets around an IPv6 address as in a URL. */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  return isIP(host ?? "") === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Who is on the other end of an accepted connection, read once, at accept. A client that reset
 * before Node read its address has none (`remoteAddress` is undefined): it is named in words.
 */
export function clientName(socket: Socket): string {
  const { remoteAddress, remotePort } = socket;
  if (remoteAddress === undefined) return "a client that had already gone";
  return formatAddress(remoteAddress, remotePort);
}

export function isLoopback(address: string): boolean {
  return address === "localhost" || address === "::1" || address.startsWith("127.");
}

/**
 * Starts listening. With no --host (or `localhost`) it listens on both loopback addresses at
 * one port, because `localhost` may resolve to either; a machine without IPv6 gets IPv4 only.
 * Returns the listening servers and the addresses they listen on.
 */
export async function listen(
  createServer: () => Server,
  host: string | undefined,
  port: number,
): Promise<{ servers: Server[]; addresses: string[] }> {
  const hosts = host === undefined || host === "localhost" ? LOOPBACK : [host];
  const servers: Server[] = [];
  for (const address of hosts) {
    const server = createServer();
    server.listen({ host: address, port });
    try {
      await once(server, "listening");
    } catch (error) {
      const ipv6Missing = address === "::1" && servers.length > 0 && isNoIpv6(error);
      if (ipv6Missing) break;
      for (const listening of servers) listening.close();
      throw error;
    }
    servers.push(server);
    // Port 0 means "any free port": the second loopback address must use the one just chosen.
    const bound = server.address();
    if (bound !== null && typeof bound === "object") port = bound.port;
  }
  const addresses = servers.map((server) => {
    const bound = server.address();
    return bound !== null && typeof bound === "object"
      ? formatAddress(bound.address, bound.port)
      : String(bound);
  });
  return { servers, addresses };
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
      return `Port ${port ?? where} is already in use: another server, perhaps this lesson's in another terminal, is running there. Stop it, or choose another port with --port.`;
    case "EACCES":
      return `Listening on ${where} needs privileges here (ports below 1024 do on Linux and macOS). Choose a port from 1024 up with --port.`;
    case "EADDRNOTAVAIL":
      return `Cannot listen on ${where}: that address does not belong to this machine. Check --host.`;
    case "ECONNREFUSED":
      return `No server is running on ${where}. Start it first in another terminal: npm run lesson:${LESSON}:server (from the repository root) or npm run server (in this lesson's folder).`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot find the host in ${where}. Check the name given to --host.`;
    case "ETIMEDOUT":
    case "ABORT_ERR":
      return `No answer from ${where} in time. Check that the server is running and reachable, or raise --timeout.`;
    case "ECONNRESET":
    case "EPIPE":
      return `The connection to ${where} was reset by the other side midway.`;
    default:
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
