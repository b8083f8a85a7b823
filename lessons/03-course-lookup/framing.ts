// How this lesson finds where a message ends in a TCP byte stream, for the server's requests and
// the client's replies alike. A message ends at the first of:
//   - a newline (LF or CRLF), as `nc` and typed input send;
//   - the end of the stream (the peer half-closed), as `printf python | nc -N` sends;
//   - a short pause after bytes arrived, as the seed's Python programs, which send a bare word
//     and wait, need.

import type { Socket } from "node:net";

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Who hears about each message, and about one that is too long. */
export interface MessageHandler {
  onMessage(bytes: Buffer): void;
  /** One byte more than `maxBytes` arrived without an end; the splitter has stopped. */
  onTooLong(): void;
}

export interface SplitterLimits {
  /** Quiet time after the last byte that ends a message with no newline. */
  pauseMs: number;
  /** The longest message. */
  maxBytes: number;
}

/**
 * Typed as a plain Buffer, not the Buffer<ArrayBuffer> that Buffer.alloc() returns: a chunk's
 * subarray() is a Buffer<ArrayBufferLike>, and `pending` must hold either.
 */
const EMPTY: Buffer = Buffer.alloc(0);

/** A message's length without the CR of a CRLF ending. */
function contentLength(bytes: Buffer): number {
  return bytes.at(-1) === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
}

/**
 * Splits one connection's bytes into messages. A class, so a server with a thousand clients
 * holds a thousand small objects that share their methods, not a thousand sets of functions.
 */
export class MessageSplitter {
  private readonly handler: MessageHandler;
  private readonly limits: SplitterLimits;
  private pending: Buffer = EMPTY;
  private pauseTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private held = false;

  constructor(handler: MessageHandler, limits: SplitterLimits) {
    this.handler = handler;
    this.limits = limits;
  }

  /** Whether part of a message is waiting for its end. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Feeds bytes as they arrive, in pieces of any size. Each newline ends a message, which the
   * handler gets without its LF or CRLF; what follows the last newline waits in `pending` for
   * the next piece, the end of the stream or the pause. More than `maxBytes` without an end is
   * too long: the handler hears onTooLong() and the splitter stops.
   */
  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE); newline !== -1 && !this.stopped;) {
      const line = chunk.subarray(start, newline);
      const message = this.pending.length > 0 ? Buffer.concat([this.pending, line]) : line;
      this.pending = EMPTY;
      this.emit(message);
      start = newline + 1;
      newline = chunk.indexOf(NEWLINE, start);
    }
    if (this.stopped || start === chunk.length) {
      clearTimeout(this.pauseTimer);
      return;
    }
    // Copy what is left (a view would pin the whole chunk in memory) and wait for its end.
    this.pending = Buffer.concat([this.pending, chunk.subarray(start)]);
    if (contentLength(this.pending) > this.limits.maxBytes) {
      this.stop();
      this.handler.onTooLong();
      return;
    }
    this.waitForPause();
  }

  /** The stream ended: whatever is pending is the last message. */
  end(): void {
    if (!this.stopped) this.flush();
  }

  /** Stops for good: pending bytes are dropped and the handler hears nothing more. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.pauseTimer);
    this.pending = EMPTY;
  }

  /** The reader stopped reading (backpressure): a pause now is ours, so it ends nothing. */
  hold(): void {
    this.held = true;
    clearTimeout(this.pauseTimer);
  }

  /** Reading again: the pause rule applies again to what is pending. */
  release(): void {
    this.held = false;
    if (this.hasPending && !this.stopped) this.waitForPause();
  }

  private waitForPause(): void {
    clearTimeout(this.pauseTimer);
    if (!this.held) {
      this.pauseTimer = setTimeout(() => {
        this.flush();
      }, this.limits.pauseMs);
    }
  }

  private flush(): void {
    clearTimeout(this.pauseTimer);
    const message = this.pending;
    this.pending = EMPTY;
    if (message.length > 0) this.emit(message);
  }

  private emit(bytes: Buffer): void {
    const length = contentLength(bytes);
    if (length > this.limits.maxBytes) {
      this.stop();
      this.handler.onTooLong();
    } else {
      this.handler.onMessage(bytes.subarray(0, length));
    }
  }
}

// How the client reads the server's one reply. It is complete at a newline, at the end of the
// stream, or after a short pause (the seed's server sends no newline and keeps the connection
// open); it may arrive in any number of pieces.

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
