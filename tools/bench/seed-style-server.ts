// The seed's design, faithfully: one loop that accepts a connection, waits for its request,
// replies, closes it, and only then accepts the next. Node does not block, so the loop is
// written with awaits that block it the way Python's accept() and recv() block the seed.
import { once } from "node:events";
import { createServer, type Socket } from "node:net";

const replies = new Map([
  ["python", "CourseName:Python,Duration:1Year,Fee=4000"],
  ["java", "CourseName:Java,Duration:2Year,Fee=2000"],
  ["c", "CourseName:C,Duration:2Months,Fee=1000"],
]);

// Connections wait here, unserved, like the kernel's listen backlog.
const backlog: Socket[] = [];
let wake: (() => void) | undefined;
const server = createServer({ pauseOnConnect: true }, (socket) => {
  socket.on("error", () => undefined);
  backlog.push(socket);
  wake?.();
});

async function accept(): Promise<Socket> {
  for (;;) {
    const next = backlog.shift();
    if (next !== undefined) return next;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(
    `Seed-style loop is running on 127.0.0.1:${typeof address === "object" ? address?.port : ""}`,
  );
  void (async () => {
    for (;;) {
      const socket = await accept(); // cs, add = s.accept()
      socket.resume();
      const [chunk] = (await Promise.race([once(socket, "data"), once(socket, "close")])) as [
        Buffer?,
      ]; // cs.recv(1024)
      if (chunk === undefined) continue;
      const course = chunk.toString("utf8").trim().toLowerCase();
      socket.end(`${replies.get(course) ?? "this course is not available"}\n`);
    }
  })();
});
process.on("SIGINT", () => process.exit(0));
