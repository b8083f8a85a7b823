// Lesson 1's tests, as steps in the order a student writes the code: the server and client as
// real processes, checked against the seed's transcript. Each step has its own time limit.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:net";
import { describe } from "node:test";
import {
  ANY_LOOPBACK,
  atOnce,
  firewallWouldAsk,
  freePort,
  firstClient,
  hasFeature,
  run,
  startServer,
  step,
  typeCheckStep,
} from "./harness.ts";

describe("lesson 1: connect-only", { concurrency: atOnce(4) }, () => {
  step(
    "the server listens and says where: Server is running on 127.0.0.1:PORT and [::1]:PORT",
    "server.ts: listen on both loopback addresses, 127.0.0.1 and ::1, at one port (a client's localhost may be either), then print the seed's line with both addresses.",
    async () => {
      const { server } = await startServer();
      assert.match(
        server.stdout[0] ?? "",
        /^Server is running on 127\.0\.0\.1:\d+ and \[::1\]:\d+$/,
      );
      server.child.kill("SIGKILL"); // Done with it; how Ctrl+C stops it is step 10's.
    },
    { needs: { server: "log" } },
  );

  step(
    "the server accepts one connection, names the client, and exits 0",
    "server.ts: wait for the first connection with firstConnection(), print Connection accepted from the client's address, then close.",
    async () => {
      const started = await startServer();
      const { server } = started;
      const socket = await firstClient(started);
      socket.on("error", () => undefined);
      if (hasFeature("server", "log")) {
        const accepted = await server.waitForLine(/Connection accepted/);
        assert.match(accepted, /^Connection accepted from 127\.0\.0\.1:\d+$/);
      }
      assert.equal(await server.exit(), 0, "the server's exit code");
      socket.destroy();
      assert.deepEqual(server.stderr, [], "what the server printed as errors");
    },
    {
      anyLanguage:
        "Listen on {port}, accept() the first connection, close it and exit with code 0 (Python: cs, address = s.accept(), then cs.close()), with nothing printed on the error stream.",
      needs: { server: "behaviour" },
    },
  );

  step(
    "the client connects and says where, and both exit 0",
    "client.ts: connect() to host and port, wait for its 'connect' event, print Connected to the address, then close.",
    async () => {
      const { server, port } = await startServer();
      const client = await run("client.ts", ["--port", port]);
      if (hasFeature("client", "log")) {
        assert.equal(client.stdout.length, 1, client.stdout.join("\n"));
        assert.match(client.stdout[0] ?? "", new RegExp(`^Connected to ${ANY_LOOPBACK}:${port}$`));
      }
      assert.equal(client.code, 0, "the client's exit code");
      const accepted = await server.waitForLine(/Connection accepted/);
      assert.match(accepted, new RegExp(`from ${ANY_LOOPBACK}:\\d+$`));
      assert.equal(await server.exit(), 0, "the server's exit code");
      assert.deepEqual(server.stderr, [], "what the server printed as errors");
    },
    {
      anyLanguage:
        "Connect to {host} at {port} (Python: socket.create_connection((host, port))), then close the socket and exit with code 0.",
      needs: { client: "behaviour" },
    },
  );

  step(
    "the server also answers on IPv6 loopback, where localhost may resolve first",
    "The server listens on 127.0.0.1 and on ::1 (listen() from common/listen.ts opens both when no --host is given), so it must wait for the first client on both, not on the first address only: a client that resolves localhost to ::1 arrives on the second.",
    async () => {
      const started = await startServer([], { firstHost: "::1" });
      const { server } = started;
      const socket = await firstClient(started, "::1");
      socket.on("error", () => undefined);
      // The client has connected: the server takes it at once, or is not waiting on ::1 at all.
      if (hasFeature("server", "log")) {
        assert.match(await server.waitForLine(/Connection accepted/, 3_000), /from \[::1\]:\d+$/);
      }
      assert.equal(await server.exit(3_000), 0, "the server's exit code");
      socket.destroy();
    },
    {
      anyLanguage:
        "Listen on both 127.0.0.1 and ::1 at {port}, and accept the first client on either (Python: a socket for each address, and selectors to wait on both): a client whose localhost is ::1 arrives on the second.",
      needs: { server: "behaviour" },
    },
  );

  step(
    "with no server running, the client says how to start one and exits 1",
    "client.ts: when connecting fails, fail() from common/errors.ts prints the sentence and sets exit code 1.",
    async () => {
      const port = await freePort();
      const client = await run("client.ts", ["--host", "127.0.0.1", "--port", port]);
      assert.equal(client.code, 1, "the client's exit code");
      assert.deepEqual(client.stdout, [], "what the client printed");
      assert.equal(client.stderr.length, 1, "how many error lines the client printed");
      assert.match(client.stderr[0] ?? "", new RegExp(`No server is running on 127.0.0.1:${port}`));
      assert.match(client.stderr[0] ?? "", /npm run lesson:1:server/);
    },
    { needs: { client: "errors" } },
  );

  step(
    "a port already in use is one sentence naming the port, exit 1",
    "server.ts: when listen() fails, failAt() from common/errors.ts prints the sentence.",
    async () => {
      const holder = createServer().listen(0, "127.0.0.1");
      await once(holder, "listening");
      const address = holder.address();
      const port = String(typeof address === "object" && address !== null ? address.port : 0);
      try {
        const server = await run("server.ts", ["--port", port]);
        assert.equal(server.code, 1, "the server's exit code");
        assert.equal(server.stderr.length, 1, "how many error lines the server printed");
        assert.match(server.stderr[0] ?? "", new RegExp(`^Port ${port} is already in use`));
      } finally {
        holder.close();
      }
    },
    { needs: { server: "errors" } },
  );

  step(
    "bad flags print what is wrong and the usage, exit 2",
    "flags.ts parses the flags; it is written for you.",
    async () => {
      for (const args of [["--bogus"], ["--port", "70000"], ["--port", "abc"]]) {
        for (const file of ["server.ts", "client.ts"]) {
          const result = await run(file, args);
          assert.equal(result.code, 2, `${file} ${args.join(" ")}`);
          assert.match(result.stderr[0] ?? "", /--bogus|--port/);
          assert.ok(result.stderr.some((line) => line.startsWith("Usage:")));
        }
      }
    },
    { needs: { server: "flags", client: "flags" } },
  );

  step(
    "--help prints the usage and exits 0",
    "flags.ts handles --help.",
    async () => {
      const result = await run("server.ts", ["--help"]);
      assert.equal(result.code, 0, "the server's exit code, with --help");
      assert.match(result.stdout[0] ?? "", /^Usage:/);
    },
    { needs: { server: "flags" } },
  );

  step(
    "--host on a network address warns that other machines can connect",
    "server.ts: call warnIfReachable(host) after the ready line.",
    async () => {
      const { server } = await startServer(["--host", "0.0.0.0"]);
      assert.match(await server.waitForLine(/Warning/), /other machines/);
      server.child.kill("SIGKILL"); // Only the warning counts; how Ctrl+C stops it is step 10's.
    },
    { skip: firewallWouldAsk, needs: { server: "flags" } },
  );

  step(
    "Ctrl+C stops a waiting server cleanly with exit 0",
    "The test pressed Ctrl+C (it sent SIGINT) while server.ts waited for its first client: the wait must end then (firstConnection() gives undefined when Ctrl+C comes first), and the server prints that it stopped and exits 0.",
    async () => {
      const { server } = await startServer();
      server.child.kill("SIGINT");
      const code = await server.exit(2_000).catch((error: unknown) => {
        throw new Error(
          `The test pressed Ctrl+C while server.ts waited for a client, and ${String(error).replace(/^Error: server\.ts /, "it ")}`,
        );
      });
      assert.equal(code, 0, "the server's exit code after Ctrl+C");
      assert.match(server.stdout.at(-1) ?? "", /stopped/);
    },
    {
      skip: process.platform === "win32" && "Windows has no SIGINT to send to a child",
      needs: { server: "ctrl-c" },
    },
  );
  step(
    "--trace shows the server's listen and accept, and the client's connect, timed",
    "common/trace.ts does this once --trace is given; client.ts calls traceConnect(socket, ...) after connect().",
    async () => {
      const { server, port } = await startServer(["--trace"]);
      const line = /^trace \| \+\d+\.\d{3}s /;
      assert.match(
        server.stdout[0] ?? "",
        new RegExp(
          `${line.source}127\\.0\\.0\\.1:${port} 'listening' = bind\\(\\) \\+ listen\\(\\)$`,
        ),
      );
      const client = await run("client.ts", ["--port", port, "--trace"]);
      assert.match(
        client.stdout[0] ?? "",
        new RegExp(`${line.source}localhost:${port} 'connect' = connect\\(\\): from port \\d+$`),
      );
      assert.match(
        client.stdout.filter((each) => !line.test(each)).join(),
        new RegExp(`^Connected to ${ANY_LOOPBACK}:${port}$`),
      );
      assert.match(
        await server.waitForLine(/'connection'/),
        new RegExp(`${line.source}${ANY_LOOPBACK}:\\d+ 'connection' = accept\\(\\)$`),
      );
      assert.equal(await server.exit(), 0, "the server's exit code");
    },
    { needs: { server: "trace", client: "trace" } },
  );
});

typeCheckStep();
