// The seed's own Python programs against our lessons, both ways round.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lessonNumbered, startLesson, startLessonServer } from "../src/lib/lessons.ts";
import { freePort, freeUdpPort, waitForPort } from "../src/lib/ports.ts";
import { noPython, startPeer } from "../src/lib/python.ts";

/** The seed's three courses and one it does not know, with the seed's replies. */
const seedCourses = [
  ["python", "CourseName:Python,Duration:1Year,Fee=4000"],
  ["java", "CourseName:Java,Duration:2Year,Fee=2000"],
  ["c", "CourseName:C,Duration:2Months,Fee=1000"],
  ["C++", "this course is not available"],
] as const;

describe("the seed's Python programs as peers", { skip: noPython, timeout: 300_000 }, () => {
  test("lesson 1: the seed's client1 connects to our server", async () => {
    const { server, port } = await startLessonServer(lessonNumbered(1));
    assert.equal(await startPeer("client1.py", [port]).exit(), 0);
    assert.match(await server.waitForLine(/Connection accepted/), /from 127\.0\.0\.1:\d+$/);
    assert.equal(await server.exit(), 0);
  });

  test("lesson 1: our client connects to the seed's server1", async () => {
    const port = String(await freePort());
    const seed = startPeer("server1.py", [port]);
    await seed.waitForLine(/Server is running/);
    const client = await startLesson(lessonNumbered(1), "client", ["--port", port]);
    assert.equal(await client.exit(), 0);
    assert.deepEqual(client.stdout, [`Connected to 127.0.0.1:${port}`]);
    assert.equal(await seed.waitForLine(/Connection accepted/), "Connection accepted");
    assert.equal(await seed.exit(), 0);
  });

  test("lesson 2: the seed's client2 prints our server's Hello Client", async () => {
    const { server, port } = await startLessonServer(lessonNumbered(2));
    const seed = startPeer("client2.py", [port]);
    assert.equal(await seed.exit(), 0);
    assert.deepEqual(seed.stdout, ["Hello Client"]);
    assert.equal(await server.exit(), 0);
  });

  test("lesson 2: our client prints the seed's server2 Hello Client", async () => {
    const port = String(await freePort());
    const seed = startPeer("server2.py", [port]);
    await seed.waitForLine(/Server is Running/);
    const client = await startLesson(lessonNumbered(2), "client", ["--port", port]);
    assert.equal(await client.exit(), 0);
    assert.deepEqual(client.stdout, ["Hello Client"]);
    assert.equal(await seed.exit(), 0);
  });

  test("lesson 3: the seed's client3 gets our server's answers", async (t) => {
    const { server, port } = await startLessonServer(lessonNumbered(3));
    t.after(() => server.child.kill());
    for (const [course, reply] of seedCourses) {
      const seed = startPeer("client3.py", [port], { input: `${course}\n` });
      assert.equal(await seed.exit(), 0);
      // input() prints its prompt with no newline when stdin is not a terminal.
      assert.equal(seed.stdout[0], `CourseName:${reply}`);
    }
  });

  test("lesson 3: our client gets the seed's server3 answers", async (t) => {
    const port = String(await freePort());
    const seed = startPeer("server3.py", [port]);
    t.after(() => seed.child.kill());
    await waitForPort(Number(port)); // server3 prints nothing when it is ready.
    for (const [course, reply] of seedCourses) {
      const client = await startLesson(lessonNumbered(3), "client", ["--port", port, course]);
      assert.equal(await client.exit(), 0);
      assert.deepEqual(client.stdout, [reply]);
    }
  });

  test("lesson 4: the seed's sender reaches our receiver, which prints it and its address", async () => {
    const { server, port } = await startLessonServer(lessonNumbered(4));
    assert.equal(await startPeer("udp_sender.py", [port]).exit(), 0);
    assert.match(
      await server.waitForLine(/Happy/),
      /^Happy Birth Day Server from 127\.0\.0\.1:\d+$/,
    );
    server.child.kill();
  });

  test("lesson 4: our sender reaches the seed's receiver, which prints the message", async (t) => {
    const port = String(await freeUdpPort());
    const seed = startPeer("udp_receiver.py", [port]);
    t.after(() => seed.child.kill());
    // The seed's receiver prints nothing until a datagram arrives, so keep sending until one
    // does: the first datagrams may come before it has bound its port, and UDP drops those.
    const printed = seed.waitForLine(/^Happy Birth Day Server \('127\.0\.0\.1', \d+\)$/);
    let arrived = false;
    const hasArrived = () => arrived; // A call, so TypeScript does not assume it stays false.
    void printed.then(
      () => (arrived = true),
      () => undefined,
    );
    for (let attempt = 0; attempt < 20 && !hasArrived(); attempt += 1) {
      const sender = await startLesson(lessonNumbered(4), "client", ["--port", port]);
      assert.equal(await sender.exit(), 0);
    }
    await printed;
  });
});
