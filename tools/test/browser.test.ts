// The diagrams in a real browser: headless Chromium draws each lesson's `npm run trace` diagram
// and a failed step's with Mermaid, and what it drew (lifelines, arrows, their order) is read back
// from the picture. Where no Chromium is installed, each test says so and is skipped.
import assert from "node:assert/strict";
import { once } from "node:events";
import { get, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { datagramDiagram, tcpDiagram, wireEvents } from "../shared/check/diagram.ts";
import { temporaryFolder } from "../shared/check/temporary.ts";
import { mermaidBlock, recordedDiagram } from "../src/lib/recorded.ts";
import { drawnOn, launchBrowser, noBrowser, render } from "../src/lib/browser.ts";
import {
  lessonNumbered,
  portFrom,
  readyLine,
  repositoryRoot,
  studentEnvironment,
} from "../src/lib/lessons.ts";
import { LIVE_READY } from "../src/live/live.ts";
import { startProcess } from "../src/lib/process.ts";
import { runCheck } from "../src/lib/run-check.ts";
import { noPython, python, startPeer } from "../src/lib/python.ts";

/** Each item of `wanted` matches some message, each after the one before. */
function assertInOrder(messages: string[], wanted: RegExp[]): void {
  let from = 0;
  for (const pattern of wanted) {
    const at = messages.findIndex((message, index) => index >= from && pattern.test(message));
    assert.ok(at >= 0, `${String(pattern)} after message ${from}, in:\n${messages.join("\n")}`);
    from = at + 1;
  }
}

/** A Python server for lesson 2's check that sends the greeting and never ends the stream. */
const NEVER_ENDS = `import socket, sys, time
s = socket.create_server(("127.0.0.1", int(sys.argv[1])))
print("Server is running on 127.0.0.1:" + sys.argv[1], flush=True)
c, _ = s.accept()
c.sendall(b"Hello Client")
time.sleep(30)
`;

/** A Python server for lesson 3's check that resets each connection once it has read a little. */
const RESETS = `import socket, struct, sys
s = socket.create_server(("127.0.0.1", int(sys.argv[1])))
print("Server is running on 127.0.0.1:" + sys.argv[1], flush=True)
while True:
    c, _ = s.accept()
    c.recv(1024)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
`;

describe("the diagrams, drawn by Mermaid in Chromium", { skip: noBrowser() }, () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  after(() => browser.close());

  // The READMEs' recorded diagrams are npm run trace's, and diagram.test.ts holds them to a run
  // of today's lessons: drawing them here proves that Mermaid draws what npm run trace writes.
  test("each lesson README's recorded npm run trace: its lifelines and its arrows, in order", async () => {
    const readme = (lesson: number) =>
      recordedDiagram(readFileSync(join(lessonNumbered(lesson).folder, "README.md"), "utf8"));
    const [one, two, three, four] = [1, 2, 3, 4].map(readme);

    const first = await render(page, one ?? "");
    assert.equal(first.participants[0], "server.ts");
    assert.match(first.participants[1] ?? "", /^client 127\.0\.0\.1:\d+$/);
    assertInOrder(first.messages, [/^accept\(\)/, /closed/]);

    const second = await render(page, two ?? "");
    assertInOrder(second.messages, [/^accept\(\)/, /^12 bytes "Hello Client"/, /^FIN .*closed/]);

    const third = await render(page, three ?? "");
    assert.equal(new Set(third.participants.filter((name) => name.startsWith("client"))).size, 2);
    assertInOrder(third.messages, [
      /^3 bytes "pyt"/,
      /^5 bytes "java\\n"/,
      /^40 bytes "CourseName:Java/,
      /^4 bytes "hon\\n"/,
      /^42 bytes "CourseName:Python/,
    ]);
    assert.equal(third.messages.filter((words) => words.includes("closed")).length, 2);

    const fourth = await render(page, four ?? "");
    assertInOrder(fourth.messages, [
      /^30 bytes "seq=1\/5 Happy Birth Day Server" sent .* received/,
      /^30 bytes "seq=5\/5 Happy Birth Day Server" sent .* received/,
      /^27 bytes "nobody receives this on ::1" .*lost$/,
    ]);
  });

  test("Mermaid's own characters in the bytes are drawn as the bytes, and a reset as RST", async () => {
    const events = wireEvents([
      "trace | +0.100s 127.0.0.1:5000 'connection' = accept()",
      "trace | +0.130s 127.0.0.1:5000 'data' = recv(): 6 bytes \"a#b;<>\"",
      "trace | +0.131s 127.0.0.1:5000 'error' ECONNRESET: a reset (RST) from the peer",
      "trace | +0.132s 127.0.0.1:5000 'close' = close()",
    ]);
    // A connection refused is created and ended by its one arrow.
    events.push({ at: 0.2, peer: "2", kind: "refused" });
    const drawn = await render(page, tcpDiagram(events));
    assert.deepEqual(drawn.messages, [
      "accept(): the client's SYN, answered (+0.100 s)",
      '6 bytes "a#b;<>" (+0.130 s)',
      "RST (the connection reset) (+0.131 s), then closed (+0.132 s)",
      "RST: connect() refused, nothing listens there (+0.200 s)",
    ]);
    const datagrams = datagramDiagram(
      [{ at: 0.5, peer: "the step's socket", kind: "datagram received", bytes: '1 byte ";"' }],
      "the receiver",
    );
    assert.deepEqual((await render(page, datagrams)).messages, ['1 byte ";" (+0.500 s)']);
  });

  test(
    "a failed step draws its exchange: a greeting that never ends has no close; a reset, its RST",
    { skip: noPython },
    async () => {
      const folder = temporaryFolder("failed-steps");
      writeFileSync(join(folder, "never_ends.py"), NEVER_ENDS);
      writeFileSync(join(folder, "resets.py"), RESETS);
      const checked = (lesson: number, file: string) =>
        runCheck(
          [String(lesson), "--server", `${(python ?? []).join(" ")} ${file} {port}`],
          folder,
        );
      const greeting = await checked(2, "never_ends.py");
      assert.match(greeting.stdout.join("\n"), /drawn in failed-step-1\.md/);
      const neverEnds = await render(
        page,
        mermaidBlock(readFileSync(join(folder, "failed-step-1.md"), "utf8")),
      );
      assert.deepEqual(neverEnds.participants.slice(0, 2), [
        "the server",
        "the step's connection 1",
      ]);
      assertInOrder(neverEnds.messages, [/^accept\(\)/, /^12 bytes "Hello Client"/]);
      assert.ok(!neverEnds.messages.some((words) => /FIN|closed/.test(words)), "no close drawn");

      // The first step to fail runs lesson 3's client, whose sockets are not the step's; the
      // steps that talk to the server themselves drew theirs.
      rmSync(join(folder, "failed-step-1.md"));
      await checked(3, "resets.py");
      const drawings = readdirSync(folder).filter((name) => /^failed-step-\d+\.md$/.test(name));
      const resetting = drawings
        .map((name) => readFileSync(join(folder, name), "utf8"))
        .find((text) => text.includes("-xC1: RST"));
      assert.ok(resetting !== undefined, `a drawn reset, in one of ${drawings.join(", ")}`);
      const resetDrawn = await render(page, mermaidBlock(resetting));
      assertInOrder(resetDrawn.messages, [/^accept\(\)/, /bytes/, /^RST/]);
      assert.match(
        resetting,
        /destroy C1\n.*-xC1: RST/,
        "the reset ends the connection's lifeline",
      );
    },
  );

  test(
    "the live page draws the exchanges of the seed's Python client as they happen, and earlier ones",
    { skip: noPython },
    async (t) => {
      const tracing = startProcess(
        process.execPath,
        ["--import", "tsx", "tools/src/commands/trace.ts", "3", "--live", "--port", "0"],
        { cwd: repositoryRoot, env: studentEnvironment() },
      );
      t.after(() => {
        tracing.killTree();
      });
      const url = LIVE_READY.exec(await tracing.waitForLine(LIVE_READY, 30_000))?.[1] ?? "";
      const port = portFrom(await tracing.waitForLine(readyLine, 1_000));
      const ask = async (course: string) => {
        const seed = startPeer("client3.py", [port], { input: `${course}\n` });
        assert.equal(await seed.exit(10_000), 0, seed.stderr.join("\n"));
      };

      await ask("java"); // Before the page is open: the page still shows it.
      await page.goto(url);
      await page.waitForFunction("document.body.innerText.includes('CourseName:Java')", null, {
        timeout: 10_000,
      });
      await ask("python"); // While the page watches.
      // Both closes drawn: each connection appeared, talked and closed.
      const status = "document.querySelector('#status').textContent";
      await page.waitForFunction(`${status} === '2 connection(s) so far, 0 open.'`, null, {
        timeout: 10_000,
      });
      const drawn = await drawnOn(page);
      assert.equal(drawn.participants[0], "server.ts");
      assert.equal(drawn.participants.filter((name) => name.startsWith("client 127.")).length, 2);
      assertInOrder(drawn.messages, [
        /^accept\(\)/,
        /^4 bytes "java"/,
        /^40 bytes "CourseName:Java/,
        /closed/,
        /^accept\(\)/,
        /^6 bytes "python"/,
        /^42 bytes "CourseName:Python/,
        /closed/,
      ]);

      // Loopback only: no answer on this computer's other addresses, nor to another host name.
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const pagePort = Number(new URL(url).port);
      for (const address of externalAddresses()) {
        const socket = connect({ host: address, port: pagePort });
        const [error] = (await once(socket, "error")) as [NodeJS.ErrnoException];
        assert.equal(error.code, "ECONNREFUSED", `the page's port on ${address}`);
      }
      // fetch() may not set Host; http.get may, as a page on a rebound name would send it.
      const rebound = get(url, { headers: { host: `rebinding.example:${pagePort}` } });
      const [answer] = (await once(rebound, "response")) as [IncomingMessage];
      answer.resume();
      assert.equal(answer.statusCode, 403, "a request for another host name");

      if (process.platform === "win32") return; // No Ctrl+C to send a child on Windows.
      tracing.interrupt();
      assert.equal(await tracing.exit(5_000), 0, "Ctrl+C stops the page and the server");
    },
  );
});

/** This computer's addresses other than loopback, where nothing of the page may listen. */
function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && !entry.internal && entry.family === "IPv4")
    .map((entry) => entry?.address ?? "");
}
