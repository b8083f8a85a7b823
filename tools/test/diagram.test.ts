// A run's --trace as a sequence diagram (tools/shared/check/diagram.ts, `npm run trace`): one
// lifeline per program and per connection, an arrow per thing on the wire, in order, with its
// bytes; a FIN, a reset and a lost datagram drawn as what they are.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { tcpDiagram, udpDiagram, wireEvents } from "../shared/check/diagram.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { lessonNumbered, lessons, runLesson, startLessonServer } from "../src/lib/lessons.ts";
import { freeUdpPort } from "../src/lib/ports.ts";
import { mermaidBlock, recordedDiagram, shapeOf, traceOnce } from "../src/lib/recorded.ts";

/** Lesson 3's server, traced: two clients, one sending "pyt" then "hon\n", one reset. */
const serverTrace = [
  "Server is running on 127.0.0.1:6003 and [::1]:6003",
  "trace | +4.082s 127.0.0.1:44484 'connection' = accept()",
  "trace | +4.083s 127.0.0.1:44484 'data' = recv(): 3 bytes \"pyt\"",
  "trace | +4.090s 127.0.0.1:44490 'connection' = accept()",
  "trace | +4.123s 127.0.0.1:44484 'data' = recv(): 4 bytes \"hon\\n\"",
  'trace | +4.124s 127.0.0.1:44484 write() = send(): 42 bytes "CourseName:Python,Duration:1Year,Fee=4000\\n"',
  "trace | +4.124s 127.0.0.1:44484 'end' = the peer's shutdown(SHUT_WR): a FIN, it sends no more",
  "trace | +4.124s 127.0.0.1:44484 end() = shutdown(SHUT_WR): a FIN, we send no more",
  "trace | +4.125s 127.0.0.1:44484 'close' = close()",
  "trace | +4.130s 127.0.0.1:44490 'data' = recv(): 6 bytes \"a#b;<>\"",
  "trace | +4.131s 127.0.0.1:44490 'error' ECONNRESET: a reset (RST) from the peer",
  '127.0.0.1:44484 asked for "python": found',
];

test("a TCP run: a lifeline per connection, from accept to close, each arrow in order", () => {
  assert.deepEqual(tcpDiagram(wireEvents(serverTrace)).split("\n"), [
    "sequenceDiagram",
    "    participant S as server.ts",
    // Mermaid creates a lifeline with the message that goes to it.
    "    create participant C1 as client 127.0.0.1:44484",
    "    S-->>C1: accept(): the client's SYN, answered (+4.082 s)",
    '    C1->>S: 3 bytes "pyt" (+4.083 s)',
    "    create participant C2 as client 127.0.0.1:44490",
    "    S-->>C2: accept(): the client's SYN, answered (+4.090 s)",
    '    C1->>S: 4 bytes "hon\\n" (+4.123 s)',
    '    S->>C1: 42 bytes "CourseName:Python,Duration:1Year,Fee=4000\\n" (+4.124 s)',
    "    C1-)S: FIN (half-close: it sends no more) (+4.124 s)",
    // A lifeline ends with its last message before the close.
    "    destroy C1",
    "    S-)C1: FIN (half-close: it sends no more) (+4.124 s), then closed (+4.125 s)",
    // Mermaid's entity codes: its own syntax never sees the client's # ; < >.
    '    C2->>S: 6 bytes "a#35;b#59;#60;#62;" (+4.130 s)',
    // A reset ends the connection, even before its close is seen.
    "    destroy C2",
    "    C2-xS: RST (the connection reset) (+4.131 s)",
    "",
  ]);
});

test("a UDP run: each datagram matched by its bytes; one that never arrived is lost", () => {
  const sender = wireEvents([
    'trace | +0.071s 127.0.0.1:6004 send() = sendto(): 31 bytes "seq=1/2 Happy Birth Day Server"',
    'trace | +0.072s 127.0.0.1:6004 send() = sendto(): 31 bytes "seq=2/2 Happy Birth Day Server"',
  ]);
  const receiver = wireEvents([
    "trace | +0.166s 127.0.0.1:51000 'message' = recvfrom(): 31 bytes \"seq=2/2 Happy Birth Day Server\"",
  ]);
  const arrows = udpDiagram(sender, receiver)
    .split("\n")
    .filter((line) => line.includes("C-"));
  assert.deepEqual(arrows, [
    '    C-xS: 31 bytes "seq=1/2 Happy Birth Day Server" (+0.071 s), lost',
    '    C-)S: 31 bytes "seq=2/2 Happy Birth Day Server" sent (+0.072 s), received (+0.166 s)',
  ]);
});

describe("npm run trace, run now, draws what each lesson README recorded", () => {
  for (const lesson of lessons) {
    test(`lesson ${lesson.number}: the same lifelines, each with the same arrows in order`, async () => {
      const traced = await traceOnce(lesson.number);
      const recorded = recordedDiagram(readFileSync(join(lesson.folder, "README.md"), "utf8"));
      assert.deepEqual(
        shapeOf(mermaidBlock(traced)),
        shapeOf(recorded),
        `npm run record draws the README's again; this run drew:\n${traced}`,
      );
      if (lesson.number === 3) assertTwoAtOnce(traced);
    });
  }
});

/** Lesson 3's run: client A's "pyt", B's whole exchange, then A's "hon\n", in that order. */
function assertTwoAtOnce(file: string): void {
  assert.match(file, /^# Lesson 3: two clients at once, one request in two pieces\n\n```mermaid\n/);
  const arrows = file.split("\n").filter((line) => /^ {4}C\d/.test(line) || /^ {4}S->>/.test(line));
  const order = [
    /^ {4}C1->>S: 3 bytes "pyt"/,
    /^ {4}C2->>S: 5 bytes "java\\n"/,
    /^ {4}S->>C2: 40 bytes "CourseName:Java/,
    /^ {4}C1->>S: 4 bytes "hon\\n"/,
    /^ {4}S->>C1: 42 bytes "CourseName:Python/,
  ];
  const positions = order.map((arrow) => arrows.findIndex((line) => arrow.test(line)));
  assert.ok(
    positions.every((at, index) => at >= 0 && (index === 0 || at > (positions[index - 1] ?? 0))),
    `the arrows, in this order: ${order.map(String).join(", ")}\n${file}`,
  );
  assert.equal(file.match(/^ {4}destroy C\d$/gm)?.length, 2, "each connection closes");
}

test("--trace-diagram: each program draws what its own trace saw, in a file, as it ends", async (t) => {
  const folder = temporaryFolder("trace-diagram");
  const [serverFile, clientFile, senderFile] = ["server.md", "client.md", "sender.md"].map((name) =>
    join(folder, name),
  );
  const courses = lessonNumbered(3);
  const { server, port } = await startLessonServer(courses, ["--trace-diagram", serverFile ?? ""]);
  t.after(() => {
    server.killTree();
  });
  const client = await runLesson(courses, "client", [
    ...["--port", port, "--trace-diagram", clientFile ?? "", "java"],
  ]);
  assert.equal(client.code, 0, client.stderr.join("\n"));
  const drawnByClient = readFileSync(clientFile ?? "", "utf8");
  assert.match(drawnByClient, /^# client\.ts, as its --trace saw it\n/);
  assert.match(
    drawnByClient,
    /create participant C1 as server localhost:\d+\n {4}S->>C1: connect\(\)/,
  );
  assert.match(drawnByClient, /S->>C1: 4 bytes "java"[^\n]*\n {4}S-\)C1: FIN/);
  assert.match(drawnByClient, /C1->>S: 40 bytes "CourseName:Java/);
  if (process.platform !== "win32") {
    // Ctrl+C: the server ends as a student stops it, and writes its side.
    server.interrupt();
    assert.equal(await server.exit(5_000), 0);
    const drawnByServer = readFileSync(serverFile ?? "", "utf8");
    assert.match(drawnByServer, /S-->>C1: accept\(\)[\s\S]*C1->>S: 4 bytes "java"/);
    assert.match(drawnByServer, /destroy C1\n[^\n]*then closed/);
  }

  const udp = lessonNumbered(4);
  const sender = await runLesson(udp, "client", [
    ...["--port", String(await freeUdpPort()), "--count", "2", "--trace-diagram", senderFile ?? ""],
  ]);
  assert.equal(sender.code, 0, sender.stderr.join("\n"));
  assert.match(
    readFileSync(senderFile ?? "", "utf8"),
    /participant A1 as receiver [^\n]+\n {4}P-\)A1: 30 bytes "seq=1\/2 Happy Birth Day Server"[^\n]*\n {4}P-\)A1: 30 bytes "seq=2\/2/,
  );
});
