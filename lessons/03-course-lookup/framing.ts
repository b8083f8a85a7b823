// How this lesson finds where a message ends in a TCP byte stream, for the server's requests and
// the client's replies alike. A message ends at the first of:
//   - a newline (LF or CRLF), as `nc` and typed input send;
//   - the end of the stream (the peer half-closed), as `printf python | nc -N` sends;
//   - a short pause after bytes arrived, as the seed's Python programs, which send a bare word
//     and wait, need.

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface SplitterOptions {
  /** Quiet time after the last byte that ends a message with no newline. */
  pauseMs: number;
  /** The longest message; one byte more calls onTooLong and stops the splitter. */
  maxBytes: number;
  onMessage: (bytes: Buffer) => void;
  onTooLong: () => void;
}

export interface Splitter {
  /** Feeds bytes as they arrive. */
  push(chunk: Buffer): void;
  /** The stream ended: whatever is pending is the last message. */
  end(): void;
  /** Stops for good: pending bytes are dropped and no callback comes again. */
  stop(): void;
  /** The reader stopped reading (backpressure): a pause now is ours, so it ends nothing. */
  hold(): void;
  /** Reading again: the pause rule applies again to what is pending. */
  release(): void;
  /** Whether part of a message is waiting for its end. */
  readonly hasPending: boolean;
}

/** A message's length without the CR of a CRLF ending. */
function contentLength(bytes: Buffer): number {
  return bytes.at(-1) === CARRIAGE_RETURN ? bytes.length - 1 : bytes.length;
}

export function splitMessages(options: SplitterOptions): Splitter {
  let pending = Buffer.alloc(0);
  let pauseTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  let held = false;

  const emit = (bytes: Buffer) => {
    const length = contentLength(bytes);
    if (length > options.maxBytes) {
      splitter.stop();
      options.onTooLong();
    } else {
      options.onMessage(bytes.subarray(0, length));
    }
  };
  const flush = () => {
    clearTimeout(pauseTimer);
    const message = pending;
    pending = Buffer.alloc(0);
    if (message.length > 0) emit(message);
  };

  const splitter: Splitter = {
    push(chunk) {
      let start = 0;
      for (let newline = chunk.indexOf(NEWLINE); newline !== -1 && !stopped;) {
        const line = chunk.subarray(start, newline);
        emit(pending.length > 0 ? Buffer.concat([pending, line]) : line);
        pending = Buffer.alloc(0);
        start = newline + 1;
        newline = chunk.indexOf(NEWLINE, start);
      }
      if (stopped || start === chunk.length) {
        clearTimeout(pauseTimer);
        return;
      }
      // Copy what is left (a view would pin the whole chunk in memory) and wait for its end.
      pending = Buffer.concat([pending, chunk.subarray(start)]);
      if (contentLength(pending) > options.maxBytes) {
        splitter.stop();
        options.onTooLong();
        return;
      }
      clearTimeout(pauseTimer);
      if (!held) pauseTimer = setTimeout(flush, options.pauseMs);
    },
    end() {
      if (!stopped) flush();
    },
    stop() {
      stopped = true;
      clearTimeout(pauseTimer);
      pending = Buffer.alloc(0);
    },
    hold() {
      held = true;
      clearTimeout(pauseTimer);
    },
    release() {
      held = false;
      if (pending.length > 0 && !stopped) pauseTimer = setTimeout(flush, options.pauseMs);
    },
    get hasPending() {
      return pending.length > 0;
    },
  };
  return splitter;
}
