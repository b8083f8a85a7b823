// How the client reads the server's one reply. It is complete at a newline, at the end of the
// stream, or after a short pause (the seed's server sends no newline and keeps the connection
// open); it may arrive in any number of pieces.
import type { Socket } from "node:net";
import { MessageSplitter } from "./framing.ts";

/** Replies are one line; anything longer than this is not a reply from a course server. */
const MAX_REPLY_BYTES = 64 * 1024;

export function readReply(
  socket: Socket,
  { pauseMs, timeout, where }: { pauseMs: number; timeout: AbortSignal; where: string },
): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const handler = {
      onMessage: resolve,
      onTooLong: () => {
        reject(new Error(`The reply from ${where} is longer than ${MAX_REPLY_BYTES} bytes.`));
      },
    };
    const replies = new MessageSplitter(handler, { pauseMs, maxBytes: MAX_REPLY_BYTES });
    socket.on("data", (chunk: Buffer) => {
      replies.push(chunk);
    });
    socket.on("end", () => {
      replies.end();
      reject(new Error(`The server at ${where} closed the connection without replying.`));
    });
    socket.on("error", reject);
    timeout.addEventListener("abort", () => {
      replies.stop();
      reject(Object.assign(new Error("no reply in time"), { code: "ETIMEDOUT" }));
    });
  });
}
