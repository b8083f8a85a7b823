// `npm run trace`: runs this lesson's server and client once, both with --trace, and writes what
// went over the wire as a sequence diagram in trace.md (diagram.ts), which GitHub and GitLab show
// as a picture (VS Code, with an extension). `npm run trace -- --out <file>` writes it elsewhere.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as pause } from "node:timers/promises";
import { parseArgs } from "node:util";
import { markdown, SHOWN_BY, tcpDiagram, udpDiagram, wireEvents } from "./diagram.ts";
import { nodeArguments } from "./programs.ts";
import { removeTemporaryFolders } from "./temporary.ts";

const usage = `Usage: npm run trace [-- --out <file>]

Runs this lesson's server and client once, both with --trace, and writes the exchange as a
Mermaid sequence diagram to trace.md (or <file>). ${SHOWN_BY}`;

const folder = new URL("..", import.meta.url);
const { lesson } = JSON.parse(readFileSync(new URL("package.json", folder), "utf8")) as {
  lesson: { number: number; transport: "TCP" | "UDP" };
};
const udp = lesson.transport === "UDP";

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "trace.md" },
    live: { type: "boolean" },
    help: { type: "boolean" },
  },
});
if (values.help === true) {
  console.log(usage);
  process.exit(0);
}
if (values.live === true) {
  // The page needs Mermaid from the repository's install; a lesson folder keeps to Node's own.
  console.error(
    `The live page is the repository's: from its root, npm run trace -- ${lesson.number} --live.`,
  );
  process.exit(2);
}

/** Each run's title, and what its client does: lesson 3's two clients talk at once. */
const RUNS: Record<number, { title: string; client: (port: string) => Promise<string[]> }> = {
  1: { title: "Lesson 1: a connection and its close", client: (port) => traced("client.ts", port) },
  2: {
    title: "Lesson 2: the greeting, and the FIN that ends it",
    client: (port) => traced("client.ts", port),
  },
  3: {
    title: "Lesson 3: two clients at once, one request in two pieces",
    client: async (port) => {
      // Client A sends "pyt"; client B asks for java whole meanwhile; then A sends "hon\n".
      const a = await talking(port, "pyt");
      await once((await talking(port, "java\n")).end(), "close");
      await once(a.end("hon\n"), "close");
      return [];
    },
  },
  4: {
    title: "Lesson 4: a burst of datagrams, and one that was lost",
    client: async (port) => [
      ...(await traced("client.ts", port, ["--host", "127.0.0.1", "--count", "5"])),
      // The receiver is on 127.0.0.1 only: a datagram to ::1 is lost, and UDP does not say so.
      ...(await traced("client.ts", port, ["--host", "::1", "nobody receives this on ::1"])),
    ],
  },
};

const run = RUNS[lesson.number];
if (run === undefined) throw new Error(`No trace run for lesson ${lesson.number}.`);

// Lesson 3's pause outlasts client A's wait, so that its two pieces stay one request.
const serverFlags: Record<number, string[]> = {
  3: ["--pause", "5"],
  4: ["--pause", "0.3", "--host", "127.0.0.1"],
};
const server = await startTraced("server.ts", serverFlags[lesson.number] ?? []);
try {
  const port = await server.port;
  const client = wireEvents(await run.client(port));
  // The server's last events (a close, a burst's report) come just after the client ends.
  await pause(udp ? 500 : 200);
  const seen = wireEvents(server.lines);
  const diagram = udp ? udpDiagram(client, seen) : tcpDiagram(seen);
  const out = resolve(process.env.INIT_CWD ?? process.cwd(), values.out);
  writeFileSync(out, markdown(run.title, diagram));
  console.log(`Wrote ${out}: ${SHOWN_BY}`);
} finally {
  server.child.kill();
  removeTemporaryFolders();
}

/** A raw connection to 127.0.0.1 that has sent `bytes`, reading what comes back. */
async function talking(port: string, bytes: string) {
  const socket = connect({ port: Number(port), host: "127.0.0.1", allowHalfOpen: true });
  await once(socket, "connect");
  socket.resume();
  socket.write(bytes);
  return socket;
}

/** Runs `file` with --trace to its end and gives its output lines. */
async function traced(file: string, port: string, args: string[] = []): Promise<string[]> {
  const { child, lines } = await spawnTraced(file, ["--port", port, ...args]);
  await once(child, "close");
  return lines;
}

/** Starts `file` with --trace on a free port; its port once it prints its ready line. */
async function startTraced(file: string, args: string[]) {
  const { child, lines, output } = await spawnTraced(file, ["--port", "0", ...args]);
  const port = new Promise<string>((ready, failed) => {
    output.on("line", (line) => {
      const found = /running on \S+?:(\d+)/i.exec(line)?.[1];
      if (found !== undefined) ready(found);
    });
    child.once("exit", () => {
      failed(new Error(`${file} exited before it was ready.`));
    });
    setTimeout(() => {
      failed(new Error(`${file} was not ready within 10 s.`));
    }, 10_000).unref();
  });
  return { child, lines, port };
}

/** `file` of this lesson, started with --trace and `args`; its output lines as they come. */
async function spawnTraced(file: string, args: string[]) {
  const child = spawn(process.execPath, [...(await nodeArguments(file)), "--trace", ...args], {
    cwd: folder,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const output = createInterface({ input: child.stdout });
  output.on("line", (line) => lines.push(line));
  return { child, lines, output };
}
