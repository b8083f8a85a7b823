// Sockets exist so that two machines can talk: lessons 3 and 4 across a real (virtual) link
// between two network namespaces, and the loopback default proved unreachable from the other.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { lessonNumbered, portFrom, readyLine } from "../src/lib/lessons.ts";
import { startProcess } from "../src/lib/process.ts";
import { cannotMakeHosts, makeTwoHosts, onHost, type Host } from "../src/lib/two-hosts.ts";

/** Starts a lesson's program inside a host, with tsx, as `npm run server` would. */
function startOn(host: Host, lesson: number, program: "server" | "client", args: string[]) {
  const [command, commandArgs] = onHost(host, process.execPath, [
    "--import",
    "tsx",
    `${program}.ts`,
    ...args,
  ]);
  return startProcess(command, commandArgs, { cwd: lessonNumbered(lesson).folder });
}

describe("two hosts joined by a network link", { skip: cannotMakeHosts, timeout: 120_000 }, () => {
  let hosts: ReturnType<typeof makeTwoHosts>;
  before(() => {
    hosts = makeTwoHosts();
  });
  // Runs even when a test fails, so no namespace is left behind.
  after(() => {
    hosts.remove();
  });

  test("lesson 3: a server on host A's address answers a client on host B", async (t) => {
    const server = startOn(hosts.a, 3, "server", ["--host", hosts.a.address, "--port", "0"]);
    t.after(() => server.child.kill());
    const port = portFrom(await server.waitForLine(readyLine));
    assert.match(await server.waitForLine(/^Warning/), /other machines on the network can connect/);
    const client = startOn(hosts.b, 3, "client", [
      "--host",
      hosts.a.address,
      "--port",
      port,
      "python",
    ]);
    assert.equal(await client.exit(), 0, client.stderr.join("\n"));
    assert.deepEqual(client.stdout, ["CourseName:Python,Duration:1Year,Fee=4000"]);
    assert.match(
      await server.waitForLine(/asked for/),
      new RegExp(`^${hosts.b.address}:\\d+ asked for "python": found$`),
    );
  });

  test("lesson 4: a datagram from host B reaches a receiver on host A", async (t) => {
    const receiver = startOn(hosts.a, 4, "server", ["--host", hosts.a.address, "--port", "0"]);
    t.after(() => receiver.child.kill());
    const port = portFrom(await receiver.waitForLine(readyLine));
    assert.match(await receiver.waitForLine(/^Warning/), /other machines on the network/);
    const sender = startOn(hosts.b, 4, "client", ["--host", hosts.a.address, "--port", port]);
    assert.equal(await sender.exit(), 0);
    assert.match(
      await receiver.waitForLine(/Happy/),
      new RegExp(`^Happy Birth Day Server from ${hosts.b.address}:\\d+$`),
    );
  });

  test("a server with default flags on host A cannot be reached from host B", async (t) => {
    const server = startOn(hosts.a, 3, "server", ["--port", "0"]);
    t.after(() => server.child.kill());
    const ready = await server.waitForLine(readyLine);
    assert.match(ready, /on 127\.0\.0\.1:\d+ and \[::1\]:\d+$/);
    const client = startOn(hosts.b, 3, "client", [
      "--host",
      hosts.a.address,
      "--port",
      portFrom(ready),
      "python",
    ]);
    assert.equal(await client.exit(), 1);
    assert.match(
      client.stderr[0] ?? "",
      new RegExp(`^No server is running on ${hosts.a.address}:\\d+\\.`),
    );
  });
});
