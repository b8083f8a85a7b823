// A long run under reset-closing clients, for what a few seconds cannot show: lesson 3's server
// keeps its memory flat, and its log stays complete (one line per request, one per reset).
// The server's resident memory is read once a second; its log is read to the end, as a terminal
// would, and its lines counted against what the clients did (endurance-verdict.ts judges them).
import { once } from "node:events";
import { createInterface } from "node:readline";
import { residentMemory } from "../src/lib/process.ts";
import { describeLog, describeMemory, type Endurance } from "./endurance-verdict.ts";
import { load, startServer } from "./measure.ts";

export async function endurance(seconds: number, clients: number): Promise<Endurance> {
  const { server, port } = await startServer("lesson");
  const counted = { requestLines: 0, resetLines: 0, answered: NaN };
  const { stdout } = server.child;
  if (stdout === null) throw new Error("the server's output is not a pipe");
  const log = createInterface({ input: stdout });
  log.on("line", (line) => {
    if (line.includes(" asked for ")) counted.requestLines += 1;
    else if (line.endsWith(" was reset by the other side midway.")) counted.resetLines += 1;
    else if (line.startsWith("Server stopped after answering ")) {
      counted.answered = Number(/answering (\d+) request/.exec(line)?.[1]);
    }
  });
  const rssBytes: number[] = [];
  const sampler = setInterval(() => {
    rssBytes.push(residentMemory(server.child.pid) ?? NaN);
  }, 1000);
  try {
    const result = await load(server, port, clients, { closing: "reset", duration: seconds });
    clearInterval(sampler);
    // Ctrl+C: the server writes the rest of its log and its stop line, then exits.
    server.interrupt();
    await Promise.all([server.exit(10_000), once(log, "close")]);
    const { completed: requests, unfinished, errors } = result;
    const figures = { seconds, clients, requests, unfinished, errors, ...counted, rssBytes };
    console.log(`endurance: ${describeLog(figures)}; ${describeMemory(figures)}`);
    return figures;
  } finally {
    clearInterval(sampler);
    server.killTree();
  }
}
