// `npm run trace -- <lesson> --live`: the lesson's server, started with --trace, and a page on
// loopback that draws its exchanges as a sequence diagram while they happen. Each client run in
// another terminal (ours, or the seed's Python one) appears, talks and closes on the page.
import { createReadStream, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { ownTraceDiagram, wireEvents, type WireEvent } from "../../shared/check/diagram.ts";
import { MERMAID_SCRIPT } from "../lib/mermaid.ts";
import { identityOf, portFrom, readyLine, startLesson, type Lesson } from "../lib/lessons.ts";

const PAGE = readFileSync(new URL("page.html", import.meta.url), "utf8");

/** The page's ready line, which names its address: tests read the URL and port from it. */
export const LIVE_READY = /^Live diagram at (http:\/\/\S+\/) /;

export async function live(lesson: Lesson, args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: "string" } } });
  const server = await startLesson(lesson, "server", [
    "--trace",
    ...(values.port === undefined ? [] : ["--port", values.port]),
  ]);
  const ready = await server.waitForLine(readyLine, 15_000);
  const port = portFrom(ready);
  const page = await servePage(lesson, port, server.stdout);
  console.log(ready);
  console.log(
    `Live diagram at ${page.url} (open it in a browser; it listens on this computer only). ` +
      `Run clients in other terminals, such as npm run lesson:${lesson.number}:client -- --port ${port}. Ctrl+C stops both.`,
  );
  const stopping = new AbortController();
  const stop = () => {
    stopping.abort();
    page.close();
    server.killTree();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const code = await server.exit(FOREVER).catch(() => null);
  if (stopping.signal.aborted) return;
  // Lessons 1 and 2 serve one client and exit: the page keeps their exchange until Ctrl+C.
  for (const line of server.stderr) console.error(line);
  const ended = `server.ts exited with code ${code}; the page keeps its diagram until Ctrl+C.`;
  console.log(ended);
  page.ended(ended);
  if (code !== 0) process.exitCode = 1;
  await once(stopping.signal, "abort");
}

/** setTimeout's longest wait: the live page runs until Ctrl+C. */
const FOREVER = 2 ** 31 - 1;

/** The page's server on 127.0.0.1: the page, Mermaid, and the diagram as server-sent events. */
async function servePage(lesson: Lesson, port: string, traced: string[]) {
  const title = `Lesson ${lesson.number}, live: the server on port ${port}`;
  const watching = new Set<ServerResponse>();
  const udp = identityOf(lesson).transport === "UDP";
  let ending: string | undefined;
  const update = () => {
    const events = wireEvents(traced);
    const count = (kind: WireEvent["kind"]) => events.filter((e) => e.kind === kind).length;
    const words =
      ending ??
      (udp
        ? `${count("datagram received")} datagram(s) so far.`
        : `${count("accepted")} connection(s) so far, ${count("accepted") - count("closed")} open.`);
    const diagram = ownTraceDiagram(traced, "server.ts");
    return `data: ${JSON.stringify({ title, diagram, words })}\n\n`;
  };
  // The trace so far is looked at every 50 ms: a burst of lines is one update, sent if it
  // changed the picture (the server's other lines do not).
  let [sent, lines] = [update(), traced.length];
  const flush = () => {
    if (traced.length === lines) return;
    lines = traced.length;
    const message = update();
    if (message === sent) return;
    sent = message;
    for (const response of watching) response.write(message);
  };
  const watcher = setInterval(flush, 50);

  const http = createServer((request, response) => {
    if (!fromThisComputer(request, http.address())) {
      response.writeHead(403).end("This page answers only to 127.0.0.1 and localhost.\n");
      return;
    }
    if (request.url === "/mermaid.min.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      createReadStream(MERMAID_SCRIPT).pipe(response);
    } else if (request.url === "/events") {
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" });
      response.write(update()); // What happened before the page was opened.
      watching.add(response);
      response.on("close", () => watching.delete(response));
    } else if (request.url === "/") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(PAGE);
    } else {
      response.writeHead(404).end("Not found.\n");
    }
  });
  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}/`;
  return {
    url,
    /** Says on the page, from now on, that the server has ended, and how. */
    ended(words: string) {
      ending = words;
      lines = -1; // Sent at once, with the server's last events.
      flush();
    },
    close() {
      clearInterval(watcher);
      flush(); // The server's last events, such as lesson 1's one connection and its close.
      for (const response of watching) response.end();
      http.close();
    },
  };
}

/**
 * Whether a request names this computer as its host: a page elsewhere that points a name of its
 * own at 127.0.0.1 (DNS rebinding) gets nothing.
 */
function fromThisComputer(request: IncomingMessage, address: AddressInfo | string | null): boolean {
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return [`127.0.0.1:${port}`, `localhost:${port}`].includes(request.headers.host ?? "");
}
