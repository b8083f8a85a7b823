// Lesson 1's tests: the server and client as real processes, checked against the seed's transcript.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { freePort, run, startServer } from "./harness.ts";

// Every wait inside has its own limit; this is only a backstop for the whole file on a busy machine.
describe("lesson 1: connect-only", { timeout: 300_000 }, () => {
  test("the client connects and the server accepts it, then both exit 0", async () => {
    const { server, port } = await startServer();
    assert.match(server.stdout[0] ?? "", /^Server is running on 127\.0\.0\.1:\d+/);

    const client = await run("client.ts", ["--port", port]);
    assert.deepEqual(client.stdout, [`Connected to 127.0.0.1:${port}`]);
    assert.equal(client.code, 0);

    assert.match(await server.waitForLine(/Connection accepted/), /from 127\.0\.0\.1:\d+$/);
    assert.equal(await server.exit(), 0);
    assert.deepEqual(server.stderr, []);
  });

  test("the server also answers on IPv6 loopback, where localhost may resolve first", async () => {
    const { server, port } = await startServer();
    const client = await run("client.ts", ["--host", "::1", "--port", port]);
    assert.deepEqual(client.stdout, [`Connected to [::1]:${port}`]);
    assert.match(await server.waitForLine(/Connection accepted/), /from \[::1\]:\d+$/);
    assert.equal(await server.exit(), 0);
  });

  test("with no server running, the client says how to start one and exits 1", async () => {
    const port = await freePort();
    const client = await run("client.ts", ["--host", "127.0.0.1", "--port", port]);
    assert.equal(client.code, 1);
    assert.deepEqual(client.stdout, []);
    assert.equal(client.stderr.length, 1);
    assert.match(client.stderr[0] ?? "", new RegExp(`No server is running on 127.0.0.1:${port}`));
    assert.match(client.stderr[0] ?? "", /npm run lesson:1:server/);
  });

  test("a port already in use is one sentence naming the port, exit 1", async () => {
    const holder = createServer().listen(0, "127.0.0.1");
    await once(holder, "listening");
    const address = holder.address();
    const port = String(typeof address === "object" && address !== null ? address.port : 0);
    try {
      const server = await run("server.ts", ["--port", port]);
      assert.equal(server.code, 1);
      assert.equal(server.stderr.length, 1);
      assert.match(server.stderr[0] ?? "", new RegExp(`^Port ${port} is already in use`));
    } finally {
      holder.close();
    }
  });

  test("bad flags print what is wrong and the usage, exit 2", async () => {
    for (const args of [["--bogus"], ["--port", "70000"], ["--port", "abc"]]) {
      for (const file of ["server.ts", "client.ts"]) {
        const result = await run(file, args);
        assert.equal(result.code, 2, `${file} ${args.join(" ")}`);
        assert.match(result.stderr[0] ?? "", /--bogus|--port/);
        assert.ok(result.stderr.some((line) => line.startsWith("Usage:")));
      }
    }
  });

  test("--help prints the usage and exits 0", async () => {
    const result = await run("server.ts", ["--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout[0] ?? "", /^Usage:/);
  });

  test("--host on a network address warns that other machines can connect", async () => {
    const { server } = await startServer(["--host", "0.0.0.0"]);
    assert.match(await server.waitForLine(/Warning/), /other machines/);
    server.child.kill("SIGINT");
    assert.equal(await server.exit(), 0);
  });

  test(
    "Ctrl+C stops a waiting server cleanly with exit 0",
    { skip: process.platform === "win32" && "Windows has no SIGINT to send to a child" },
    async () => {
      const { server } = await startServer();
      server.child.kill("SIGINT");
      assert.equal(await server.exit(2_000), 0);
      assert.match(server.stdout.at(-1) ?? "", /stopped/);
    },
  );
});
