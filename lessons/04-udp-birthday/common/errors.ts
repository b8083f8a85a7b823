// The sentence a student reads when a socket fails, instead of a stack trace: what happened and
// what to do about it.
import { LESSON, TRANSPORT } from "./lesson.ts";

export function explain(error: unknown, where: string): string {
  const { code, port } = error as NodeJS.ErrnoException & { port?: number };
  const server = TRANSPORT === "UDP" ? "receiver" : "server";
  switch (code) {
    case "EADDRINUSE":
      return `${TRANSPORT === "UDP" ? "UDP port" : "Port"} ${port ?? where} is already in use: another ${server}, perhaps this lesson's in another terminal, is running there. Stop it, or choose another port with --port.`;
    case "EACCES":
      // Windows has no privileged ports, but keeps ranges for Hyper-V, WSL and Docker.
      if (process.platform === "win32") {
        return `Windows does not allow listening on ${where}: the port is in a range it keeps for itself (netsh interface ipv4 show excludedportrange protocol=tcp lists them). Choose another port with --port.`;
      }
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

/** For `.catch()`, like C's perror("bind"): fails with the sentence, and resolves to undefined. */
export function failAt(where: string): (error: unknown) => undefined {
  return (error) => {
    fail(error, where);
    return undefined;
  };
}
