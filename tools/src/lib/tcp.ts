// The one raw TCP client the integration tests use to talk to servers byte by byte.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

/** Connects to 127.0.0.1:port (within 5 s). */
export async function connectTo(port: number | string): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port: Number(port), allowHalfOpen: true });
  await once(socket, "connect", { signal: AbortSignal.timeout(5_000) });
  return socket;
}

/**
 * Reads until the peer closes (or resets after sending something), or until `lines` newlines
 * have arrived; gives up after `ms`. Events, not `for await`: the iterator destroys a half-open
 * socket that we are still writing to.
 */
export function readText(socket: Socket, { lines = Infinity, ms = 10_000 } = {}) {
  return new Promise<string>((resolve, reject) => {
    let text = "";
    let newlines = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only "${text.slice(0, 200)}" arrived within ${ms} ms`));
    }, ms);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(text);
    };
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines += 1;
      if (newlines >= lines) done();
    });
    socket.once("end", done);
    socket.once("close", done);
    socket.once("error", (error) => {
      if (text !== "") return; // A reset after the reply: the reply is what counts.
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Sends each piece (with a gap between them), half-closes, and returns the whole answer. */
export async function exchange(port: number | string, pieces: (string | Buffer)[], gapMs = 0) {
  const socket = await connectTo(port);
  socket.on("error", () => undefined); // Reported by readText's time limit if it matters.
  for (const [index, piece] of pieces.entries()) {
    if (index > 0 && gapMs > 0) await delay(gapMs);
    socket.write(piece);
  }
  socket.end();
  return readText(socket);
}
