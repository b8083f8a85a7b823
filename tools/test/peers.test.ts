// The seed's own Python programs against our lessons, both ways round.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lessons, portFrom, readyLine, startLesson, type Lesson } from "../src/lessons.ts";
import { freePort } from "../src/ports.ts";
import { noPython, startPeer } from "../src/python.ts";

function lesson(number: number): Lesson {
  const found = lessons.find((candidate) => candidate.number === number);
  if (found === undefined) throw new Error(`lesson ${number} is missing`);
  return found;
}

async function startOurServer(number: number, args: string[] = []) {
  const server = startLesson(lesson(number), "server", ["--port", "0", ...args]);
  return { server, port: portFrom(await server.waitForLine(readyLine)) };
}

describe("the seed's Python programs as peers", { skip: noPython, timeout: 60_000 }, () => {
  test("lesson 1: the seed's client1 connects to our server", async () => {
    const { server, port } = await startOurServer(1);
    assert.equal(await startPeer("client1.py", [port]).exit(), 0);
    assert.match(await server.waitForLine(/Connection accepted/), /from 127\.0\.0\.1:\d+$/);
    assert.equal(await server.exit(), 0);
  });

  test("lesson 1: our client connects to the seed's server1", async () => {
    const port = String(await freePort());
    const seed = startPeer("server1.py", [port]);
    await seed.waitForLine(/Server is running/);
    const client = startLesson(lesson(1), "client", ["--port", port]);
    assert.equal(await client.exit(), 0);
    assert.deepEqual(client.stdout, [`Connected to 127.0.0.1:${port}`]);
    assert.equal(await seed.waitForLine(/Connection accepted/), "Connection accepted");
    assert.equal(await seed.exit(), 0);
  });

  test("lesson 2: the seed's client2 prints our server's Hello Client", async () => {
    const { server, port } = await startOurServer(2);
    const seed = startPeer("client2.py", [port]);
    assert.equal(await seed.exit(), 0);
    assert.deepEqual(seed.stdout, ["Hello Client"]);
    assert.equal(await server.exit(), 0);
  });

  test("lesson 2: our client prints the seed's server2 Hello Client", async () => {
    const port = String(await freePort());
    const seed = startPeer("server2.py", [port]);
    await seed.waitForLine(/Server is Running/);
    const client = startLesson(lesson(2), "client", ["--port", port]);
    assert.equal(await client.exit(), 0);
    assert.deepEqual(client.stdout, ["Hello Client"]);
    assert.equal(await seed.exit(), 0);
  });
});
