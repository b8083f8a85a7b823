// Lesson 3 client: asks the server about one course and prints the reply.
// Run it:     npm run lesson:3:client -- python    (from the repository root)
//             npm run client -- python             (in this folder)
//             npm run lesson:3:client              (prompts CourseName: like the seed)
//             echo java | npm run lesson:3:client  (reads the first line of piped input)
// Start the server first, in another terminal: npm run lesson:3:server
import { once } from "node:events";
import { connect } from "node:net";
import { createInterface } from "node:readline/promises";
import { escapeText, fail, formatAddress, parseClientOptions } from "./cli.ts";
import { MessageSplitter } from "./framing.ts";

/** Replies are one line; anything longer than this is not a reply from a course server. */
const MAX_REPLY_BYTES = 64 * 1024;

const usage = `Usage: client.ts [course name] [--host <address>] [--port <1-65535>] [--timeout <seconds>] [--pause <seconds>] [--help]

Asks the lesson 3 server about one course and prints its reply. The course name comes from the
argument, else a CourseName: prompt, else the first line of piped input.
  --host     server to connect to (default: localhost)
  --port     server port (default: 6003)
  --timeout  seconds to wait for the reply (default: 5)
  --pause    a reply with no newline ends after this quiet time (default: 0.1)`;

const {
  course = await readCourseName(),
  host,
  port,
  timeoutMs,
  pauseMs,
} = parseClientOptions(usage);
if (course.trim() === "") {
  console.error(`No course name given. Try: npm run lesson:3:client -- python\n\n${usage}`);
  process.exit(2);
}

/** Prompts like the seed on a terminal; otherwise reads the first line of piped input. */
async function readCourseName(): Promise<string> {
  const input = createInterface({ input: process.stdin, output: process.stdout });
  try {
    if (process.stdin.isTTY) {
      // On a terminal, readline takes Ctrl+C for itself: make it end the program as usual.
      input.on("SIGINT", () => process.exit(130));
      return await input.question("CourseName:").catch(() => "");
    }
    // question() on piped input can lose lines; iterating reads them in order and ends at EOF.
    for await (const line of input) return line;
    return "";
  } finally {
    input.close();
  }
}

const where = formatAddress(host, port);
const socket = connect({ host, port, allowHalfOpen: true });
socket.on("error", () => undefined); // Reported once, below, by the rejected wait.
try {
  const timeout = AbortSignal.timeout(timeoutMs);
  await once(socket, "connect", { signal: timeout });
  // Exactly the name's bytes, no newline, then half-close: "that is my whole request".
  socket.end(course);

  // The reply is complete at a newline, at the end of the stream, or after a short pause (the
  // seed's server sends no newline and keeps the connection open).
  const reply = new Promise<Buffer>((resolve, reject) => {
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
  console.log(escapeText((await reply).toString("utf8")));
} catch (error) {
  fail(error, where);
} finally {
  socket.destroy();
}
