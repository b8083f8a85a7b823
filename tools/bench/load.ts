// One load-generator process: `concurrency` virtual clients in a closed loop, each connecting,
// sending `python\n`, waiting for the reply, closing, then starting again, until the time is up.
// How a client closes is the last argument:
//   polite: it half-closes after its request and waits for the server's close (FIN, FIN);
//   reset:  it closes with a reset as soon as the reply is in, as a killed client, a browser
//           or `nc` with Ctrl+C does (resetAndDestroy(): SO_LINGER 0, so no TIME_WAIT either).
// Prints one JSON line: completed lookups, errors and every latency in milliseconds.
import { connect } from "node:net";

const [port = "0", concurrency = "1", durationMs = "1000", closing = "polite"] =
  process.argv.slice(2);
const expected = "CourseName:Python,Duration:1Year,Fee=4000\n";
const latencies: number[] = [];
let errors = 0;
let unfinished = 0;
const endAt = performance.now() + Number(durationMs);

function lookup(): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: "127.0.0.1", port: Number(port) });
    let reply = "";
    let answered = false;
    socket.setEncoding("utf8");
    socket.on("connect", () => {
      if (closing === "reset") socket.write("python\n");
      else socket.end("python\n");
    });
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (closing === "reset" && reply === expected) {
        answered = true;
        latencies.push(performance.now() - started);
        socket.resetAndDestroy();
      }
    });
    socket.on("error", () => undefined);
    // A lookup still waiting when the time is up (a stalled server) is cut off, not an error.
    let cut = false;
    const cutOff = setTimeout(() => {
      cut = true;
      unfinished += 1;
      socket.destroy();
    }, endAt - started);
    socket.on("close", () => {
      clearTimeout(cutOff);
      // A reset-closing lookup was counted when its reply came in.
      if (!answered && reply === expected) latencies.push(performance.now() - started);
      else if (!answered && !cut) errors += 1;
      resolve();
    });
  });
}

async function virtualClient(): Promise<void> {
  while (performance.now() < endAt) await lookup();
}

await Promise.all(Array.from({ length: Number(concurrency) }, virtualClient));
console.log(JSON.stringify({ completed: latencies.length, errors, unfinished, latencies }));
