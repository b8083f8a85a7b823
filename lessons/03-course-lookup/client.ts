// Lesson 3 client: asks the server about one course and prints the reply.
// Run it:     npm run lesson:3:client -- python    (from the repository root)
//             npm run client -- python             (in this folder)
//             npm run lesson:3:client              (prompts CourseName: like the seed)
//             echo java | npm run lesson:3:client  (reads the first line of piped input)
// Start the server first, in another terminal: npm run lesson:3:server
import { once } from "node:events";
import { connect } from "node:net";
import { formatAddress } from "./common/address.ts";
import { fail } from "./common/errors.ts";
import { escapeText } from "./common/escape.ts";
import { traceConnect } from "./common/trace.ts";
import { clientOptions, exitIfEmpty, readCourseName } from "./flags.ts";
import { readReply } from "./framing.ts";

async function main(): Promise<void> {
  const { host, port, timeoutMs, pauseMs, ...given } = clientOptions();
  // Python: name=input("CourseName:")
  const course = given.course ?? (await readCourseName());
  exitIfEmpty(course);
  const where = formatAddress(host, port);

  // Python: s=socket.socket()
  // Python: s.connect(("localhost",60))
  const socket = connect({ host, port, allowHalfOpen: true });
  traceConnect(socket, where); // --trace
  socket.on("error", () => undefined); // Reported once, below, by the rejected wait.
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await once(socket, "connect", { signal: timeout });
    // Python: s.send(name.encode())
    // Exactly the name's bytes, then a half-close: "that is my whole request". The seed's
    // server compares all it received to "python", so a newline would spoil the match.
    socket.end(course);
    // Python: b=s.recv(1024)
    // Python: d=b.decode()
    // One recv() may return part of the reply; readReply() waits for all of it.
    const reply = await readReply(socket, { pauseMs, timeout, where });
    // Python: print(d)
    console.log(escapeText(reply.toString("utf8")));
  } catch (error) {
    fail(error, where);
  } finally {
    socket.destroy();
  }
}

await main();
