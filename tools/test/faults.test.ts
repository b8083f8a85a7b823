// Faults, bad input and abuse, from real peers, against every server and client. After each
// fault the server must still answer a fresh client, be alive, and hold no connection that
// does not close when asked (Node's own getConnections, reported when it stops). Faults whose
// outcome depends on timing are in races.test.ts, provoked many times each.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import {
  assertStillServing,
  C,
  NOT_AVAILABLE,
  noStackTrace,
  PYTHON,
} from "../src/lib/fault-checks.ts";
import { fakeServer, runClient, startServer } from "../src/lib/fault-checks.ts";
import { lessons, runLesson } from "../src/lib/lessons.ts";
import { freePort } from "../src/lib/ports.ts";
import { residentMemory } from "../src/lib/process.ts";
import { connectTo, exchange, readText } from "../src/lib/tcp.ts";
import { firewallWouldAsk } from "../shared/check/harness.ts";

const MiB = 1024 * 1024;

describe("faults, bad input and security", { timeout: 300_000 }, () => {
  test("2. a silent client is closed after the idle timeout; others are served meanwhile", async (t) => {
    const started = await startServer(t, 3, ["--idle-timeout", "0.5"]);
    const silent = await connectTo(started.port);
    // The server's FIN ends our reading side ('end'); the time limit catches a server that never closes it.
    const closed = once(silent, "end", { signal: AbortSignal.timeout(5_000) });
    assert.equal(await exchange(started.port, ["c\n"]), C);
    assert.equal(silent.destroyed, false, "still open while the other client was served");
    await closed;
    await assertStillServing(started);
  });

  test("3. a client dripping a byte at a time is cut off by the request deadline", async (t) => {
    // A long --pause: on a loaded machine a 50 ms drip gap can stretch past the 0.1 s default,
    // and the pause rule would end the request before the deadline this case is about.
    const started = await startServer(t, 3, ["--idle-timeout", "1", "--pause", "5"]);
    const drip = await connectTo(started.port);
    const reply = readText(drip);
    // Faster than the idle timeout, never a newline, never a pause long enough to end it.
    for (let sent = 0; sent < 200 && !drip.destroyed && drip.writable; sent += 1) {
      drip.write("p");
      await delay(50);
    }
    assert.equal(await reply, "error: the request took too long to arrive\n");
    await assertStillServing(started);
  });

  test("3b. an idle timeout of weeks: a request in pieces is still answered", async (t) => {
    // Its deadline, 3 idle timeouts, is past the 24.8 days Node's timers hold: uncapped, it
    // would run out within 1 ms and end every request that arrives in more than one piece.
    const started = await startServer(t, 3, ["--idle-timeout", "2000000", "--pause", "5"]);
    assert.equal(await exchange(started.port, ["c", "\n"], 100), C);
    await assertStillServing(started);
  });

  test("4. 1 MiB with no newline, and 100 MiB streamed: an error line, a close, bounded memory", async (t) => {
    const started = await startServer(t, 3);
    assert.equal(
      await exchange(started.port, [Buffer.alloc(MiB, "x")]),
      "error: a request may be at most 1024 bytes\n",
    );
    const before = residentMemory(started.server.child.pid);
    const flood = await connectTo(started.port);
    flood.on("error", () => undefined);
    const reply = readText(flood);
    const chunk = Buffer.alloc(MiB, "y");
    let sent = 0;
    for (; sent < 100 && flood.writable; sent += 1) {
      if (!flood.write(chunk)) await Promise.race([once(flood, "drain"), once(flood, "close")]);
    }
    assert.equal(await reply, "error: a request may be at most 1024 bytes\n");
    t.diagnostic(`the server cut the 100 MiB stream off after ${sent} MiB had been written`);
    assert.ok(sent < 100, "the server closed the connection before 100 MiB had been sent");
    const after = residentMemory(started.server.child.pid);
    if (before !== undefined && after !== undefined) {
      t.diagnostic(
        `server RSS before ${(before / MiB).toFixed(1)} MiB, after ${(after / MiB).toFixed(1)} MiB`,
      );
      assert.ok(
        after - before < 32 * MiB,
        `RSS grew by ${((after - before) / MiB).toFixed(1)} MiB`,
      );
    }
    await assertStillServing(started);
  });

  test("5. invalid UTF-8 is an unknown course; a character split across writes decodes", async (t) => {
    const started = await startServer(t, 3, ["--pause", "5"]);
    assert.equal(
      await exchange(started.port, [Buffer.from([0xc3, 0x28, 0xff, 0x0a])]),
      NOT_AVAILABLE,
    );
    const e = Buffer.from("é"); // Two bytes: the first write ends in the middle of it.
    const pieces = [
      Buffer.concat([Buffer.from("caf"), e.subarray(0, 1)]),
      Buffer.concat([e.subarray(1), Buffer.from("\n")]),
    ];
    assert.equal(await exchange(started.port, pieces, 20), NOT_AVAILABLE);
    await started.server.waitForLine(/"café": not found$/);
    assert.ok(
      started.server.stdout.some((line) =>
        line.endsWith("asked for bytes that are not UTF-8: not found"),
      ),
    );
    await assertStillServing(started);
  });

  test("6. terminal escape sequences over TCP and UDP are printed escaped", async (t) => {
    const attack = "\x1b]0;pwned\x07\x1b[2J";
    const escaped = "\\x1b]0;pwned\\x07\\x1b[2J";
    const started = await startServer(t, 3);
    await exchange(started.port, [`${attack}\n`]);
    const logged = await started.server.waitForLine(/asked for/);
    assert.ok(logged.includes(escaped) && !logged.includes("\x1b"), logged);
    const udp = await startServer(t, 4);
    const socket = createSocket("udp4");
    socket.send(attack, Number(udp.port), "127.0.0.1", () => socket.close());
    const printed = await udp.server.waitForLine(/pwned/);
    assert.ok(printed.startsWith(`${escaped} from `) && !printed.includes("\x1b"), printed);
    const greeter = await fakeServer(t, (peer) => peer.end(attack));
    const client = await runClient(2, ["--host", "127.0.0.1", "--port", greeter]);
    assert.deepEqual(client.stdout, [escaped]);
    await assertStillServing(started);
  });

  test("7. a half-close after the request still gets the reply", async (t) => {
    const started = await startServer(t, 3);
    assert.equal(await exchange(started.port, ["python"]), PYTHON);
    await assertStillServing(started);
  });

  test("8. pipelined requests in one write, and one request in three writes", async (t) => {
    const started = await startServer(t, 3, ["--pause", "5"]);
    assert.equal(await exchange(started.port, ["python\nc\nC++\n"]), PYTHON + C + NOT_AVAILABLE);
    assert.equal(await exchange(started.port, ["py", "th", "on\n"], 20), PYTHON);
    await assertStillServing(started);
  });

  test("9. 2,000 concurrent clients, one lookup each: 2,000 correct replies, 0 errors", async (t) => {
    const started = await startServer(t, 3, ["--max-connections", "2500", "--quiet"]);
    const began = performance.now();
    const replies = await Promise.allSettled(
      Array.from({ length: 2000 }, () => exchange(started.port, ["python\n"])),
    );
    const correct = replies.filter(
      (reply) => reply.status === "fulfilled" && reply.value === PYTHON,
    ).length;
    const errors = replies.filter((reply) => reply.status === "rejected").length;
    t.diagnostic(
      `2,000 clients: ${correct} correct, ${errors} errors, ${Math.round(performance.now() - began)} ms`,
    );
    assert.equal(correct, 2000);
    assert.equal(errors, 0);
    await assertStillServing(started);
  });

  test("10. clients beyond --max-connections get server busy; the rest are unaffected", async (t) => {
    const started = await startServer(t, 3, ["--max-connections", "3"]);
    const held = await Promise.all([1, 2, 3].map(() => connectTo(started.port)));
    for (const socket of held) socket.write("c\n");
    await Promise.all(held.map((socket) => once(socket, "data")));
    for (let extra = 0; extra < 2; extra += 1) {
      assert.equal(await exchange(started.port, ["python\n"]), "server busy\n");
    }
    for (const socket of held) socket.end("java\n");
    const after = await Promise.all(held.map((socket) => readText(socket)));
    assert.deepEqual(
      after,
      [1, 2, 3].map(() => "CourseName:Java,Duration:2Year,Fee=2000\n"),
    );
    await assertStillServing(started);
  });

  test("11. 5,000,000 pipelined requests never read: reading pauses, memory stays bounded, all replies come", async (t) => {
    // A long --pause: a write stalled on a loaded machine must not end a request mid-way.
    const started = await startServer(t, 3, ["--quiet", "--pause", "5"]);
    const before = residentMemory(started.server.child.pid);
    const greedy = await connectTo(started.port);
    greedy.pause(); // Never read, for now.
    const requests = Buffer.alloc(10_000_000, "c\n");
    const sent = new Promise<void>((resolve) =>
      greedy.write(requests, () => {
        resolve();
      }),
    );
    // The server stops reading once its replies back up, so our write cannot finish.
    const finished = await Promise.race([sent.then(() => true), delay(3_000).then(() => false)]);
    assert.equal(finished, false, "the server kept reading although its replies were not read");
    const during = residentMemory(started.server.child.pid);
    if (before !== undefined && during !== undefined) {
      t.diagnostic(
        `server RSS before ${(before / MiB).toFixed(1)} MiB, while blocked ${(during / MiB).toFixed(1)} MiB`,
      );
      assert.ok(
        during - before < 64 * MiB,
        `RSS grew by ${((during - before) / MiB).toFixed(1)} MiB`,
      );
    }
    // Now read: every reply arrives. Counted as bytes and checked chunk by chunk, not kept.
    const replies = Buffer.from(C.repeat(5_000_000));
    let received = 0;
    let matches = true;
    greedy.on("data", (chunk: Buffer) => {
      matches &&= chunk.equals(replies.subarray(received, received + chunk.length));
      received += chunk.length;
    });
    greedy.end();
    greedy.resume();
    await once(greedy, "end", { signal: AbortSignal.timeout(300_000) });
    greedy.destroy();
    assert.equal(received, replies.length);
    assert.ok(matches, "the replies are the expected bytes, in order");
    await assertStillServing(started);
  });

  test("13. clients against no server and a mute server", async (t) => {
    const port = String(await freePort());
    for (const lesson of [1, 2, 3]) {
      const client = await runClient(
        lesson,
        ["--host", "127.0.0.1", "--port", port, "python"].slice(0, lesson === 3 ? 5 : 4),
      );
      assert.equal(client.code, 1);
      assert.match(client.stderr.join("\n"), /^No server is running on 127\.0\.0\.1:\d+\./);
    }
    const mute = await fakeServer(t, () => undefined);
    for (const lesson of [2, 3]) {
      const client = await runClient(
        lesson,
        ["--host", "127.0.0.1", "--port", mute, "--timeout", "0.5", "c"].slice(
          0,
          lesson === 3 ? 7 : 6,
        ),
      );
      assert.equal(client.code, 1);
      assert.match(client.stderr.join("\n"), /^No answer from 127\.0\.0\.1:\d+ in time/);
    }
  });

  test(
    "15. servers listen on loopback by default; --host 0.0.0.0 warns",
    { skip: firewallWouldAsk },
    async (t) => {
      for (const lesson of lessons) {
        const { server } = await startServer(t, lesson.number);
        assert.match(server.stdout[0] ?? "", /on 127\.0\.0\.1:\d+ and \[::1\]:\d+$/);
        server.child.kill();
        const open = await startServer(t, lesson.number, ["--host", "0.0.0.0"]);
        assert.match(open.server.stdout[0] ?? "", /on 0\.0\.0\.0:\d+$/);
        assert.match(
          await open.server.waitForLine(/^Warning/),
          /other machines on the network can/,
        );
        open.server.child.kill();
      }
    },
  );

  test("16. UDP: empty, 65,507-byte, junk and a 100,000 flood; the sender refuses 65,508", async (t) => {
    const { server, port } = await startServer(t, 4);
    const socket = createSocket("udp4");
    t.after(() => socket.close());
    const send = (data: Buffer) =>
      new Promise<void>((resolve, reject) => {
        socket.send(data, Number(port), "127.0.0.1", (error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    await send(Buffer.alloc(0));
    await send(Buffer.alloc(65_507, "z"));
    await send(Buffer.from([0xff, 0xfe, 0x00, 0x07]));
    const flood = await runClient(4, ["--port", port, "--count", "100000"]);
    assert.equal(flood.code, 0);
    assert.match(
      await server.waitForLine(/^Burst from/),
      /: 100000 expected, \d+ arrived, \d+ lost/,
    );
    await send(Buffer.from("still receiving"));
    await server.waitForLine(/^still receiving from/);
    assert.ok(server.stdout.some((line) => line.startsWith("(empty datagram) from")));
    assert.ok(server.stdout.some((line) => line.startsWith("(65507 bytes) zzz")));
    assert.ok(server.stdout.some((line) => line.startsWith("\uFFFD\uFFFD\\x00\\x07 from")));
    const refused = await runClient(4, ["--port", port, "x".repeat(65_508)]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr.join("\n"), /^The message is 65508 bytes/);
    assert.equal(server.child.exitCode, null);
  });

  test("17. bad flags on every program: one sentence and the usage, exit 2", async () => {
    const bad = [["--bogus"], ["--port", "70000"], ["--port", "abc"], ["--idle-timeout", "-1"]];
    for (const lesson of lessons) {
      for (const program of ["server", "client"] as const) {
        for (const args of bad) {
          const result = await runLesson(lesson, program, args);
          const what = `lesson ${lesson.number} ${program} ${args.join(" ")}`;
          assert.equal(result.code, 2, what);
          assert.ok(result.stderr[0]?.length, what);
          assert.ok(
            result.stderr.some((line) => line.startsWith("Usage:")),
            what,
          );
          assert.ok(noStackTrace(result.stderr), what);
        }
      }
    }
  });
});
