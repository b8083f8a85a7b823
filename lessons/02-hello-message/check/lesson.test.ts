// Lesson 2's tests: the server and client as real processes, checked against the seed's transcript.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { describe, type TestContext } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { afterRunning } from "./deadline.ts";
import {
  ANY_LOOPBACK,
  atOnce,
  firstClient,
  recordWire,
  freePort,
  run,
  startServer,
  step,
  typeCheckStep,
} from "./harness.ts";

/** A stand-in server on a free port that runs `talk` with each connection, until the test ends. */
async function fakeServer(t: TestContext, talk: (socket: Socket) => Promise<void>) {
  const server = createServer((socket) => {
    recordWire(socket, "server"); // Drawn in failed-step-N.md if the step fails.
    void talk(socket);
  });
  t.after(() => server.close());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = String(typeof address === "object" && address !== null ? address.port : 0);
  return { port };
}

/**
 * Everything the server sends until it ends the stream, as text. A server that stops sending
 * without ending fails in words: how many bytes came, and that no end followed.
 */
async function readToEnd(socket: Socket, ms: number): Promise<string> {
  const pieces: Buffer[] = [];
  const received = () => Buffer.concat(pieces).toString("latin1");
  const tooLate = afterRunning(ms, () => {
    const bytes = Buffer.concat(pieces).length;
    const what = bytes === 0 ? "nothing" : `${bytes} bytes, ${JSON.stringify(received())},`;
    socket.destroy(
      new Error(`The server sent ${what} then did not end the stream within ${ms / 1000} s.`),
    );
  });
  try {
    for await (const piece of socket) pieces.push(piece as Buffer);
  } finally {
    tooLate.cancel();
  }
  return received();
}

describe("lesson 2: hello-message", { concurrency: atOnce(4) }, () => {
  step(
    "the server sends exactly the bytes Hello Client, with no newline, then ends the stream",
    "server.ts: listen, take the first connection, send the 12 bytes Hello Client and end the stream: the end (a FIN) is how the client knows the message is whole. A write alone sends the bytes but never ends.",
    async () => {
      const started = await startServer();
      const text = await readToEnd(await firstClient(started), 3_000);
      assert.equal(text, "Hello Client", "the bytes the server sent");
      assert.equal(await started.server.exit(), 0, "the server's exit code");
    },
    { needs: { server: "behaviour" } },
  );

  step(
    "the server also answers on IPv6 loopback, where localhost may resolve first",
    "server.ts: listen on both loopback addresses, 127.0.0.1 and ::1, and take the first client on either: a client whose localhost is ::1 (macOS, Windows) arrives on the second.",
    async () => {
      const started = await startServer([], { firstHost: "::1" });
      const text = await readToEnd(await firstClient(started, "::1"), 3_000);
      assert.equal(text, "Hello Client", "the bytes the server sent over [::1]");
      assert.equal(await started.server.exit(), 0, "the server's exit code");
    },
    { needs: { server: "behaviour" } },
  );

  step(
    "the server says where it listens, and whom it greeted",
    "server.ts: print Server is Running on the addresses it listens on, and Sent Hello Client to the client's address, as README.md shows.",
    async () => {
      const started = await startServer();
      const { server } = started;
      assert.match(
        server.stdout[0] ?? "",
        /^Server is Running on 127\.0\.0\.1:\d+ and \[::1\]:\d+$/,
      );
      await readToEnd(await firstClient(started), 3_000);
      assert.match(
        await server.waitForLine(/^Sent/),
        new RegExp(`^Sent Hello Client to 127\\.0\\.0\\.1:\\d+$`),
      );
      assert.equal(await server.exit(), 0, "the server's exit code");
      assert.deepEqual(server.stderr, [], "what the server printed as errors");
    },
    { needs: { server: "log" } },
  );

  step(
    "the client prints Hello Client, and both exit 0",
    "client.ts: connect, read until the server ends the stream, then print what arrived.",
    async () => {
      const { server, port } = await startServer();
      const client = await run("client.ts", ["--port", port]);
      assert.deepEqual(client.stdout, ["Hello Client"], "what the client printed");
      assert.equal(client.code, 0, "the client's exit code");
      assert.equal(await server.exit(), 0, "the server's exit code");
    },
    { needs: { client: "behaviour" } },
  );

  step(
    "a greeting that arrives in two pieces, 50 ms apart, is printed whole",
    "client.ts: one 'data' event may carry part of the message; gather every piece until the end of the stream, then decode them together.",
    async (t) => {
      const fake = await fakeServer(t, async (socket) => {
        socket.write("Hello ");
        await delay(50);
        socket.end("Client");
      });
      const client = await run("client.ts", ["--host", "127.0.0.1", "--port", fake.port]);
      assert.deepEqual(client.stdout, ["Hello Client"], "what the client printed");
      assert.equal(client.code, 0, "the client's exit code");
    },
    {
      anyLanguage:
        "One recv() may return part of the message: call recv() again until it returns empty bytes (the server's close), then decode all the bytes together.",
      needs: { client: "behaviour" },
    },
  );

  step(
    "a character split across two pieces, 100 ms apart, is printed whole",
    "client.ts: decode once, after the last piece: a piece may end inside a character (é is two bytes), and half a character decoded alone becomes a replacement character.",
    async (t) => {
      const e = Buffer.from("é");
      const fake = await fakeServer(t, async (socket) => {
        socket.write(Buffer.concat([Buffer.from("Hello caf"), e.subarray(0, 1)]));
        await delay(100); // Not a wait for readiness: two pieces are what this step sends.
        socket.end(e.subarray(1));
      });
      const client = await run("client.ts", ["--host", "127.0.0.1", "--port", fake.port]);
      assert.deepEqual(
        client.stdout,
        ["Hello café"],
        'what the client printed, sent "Hello caf" and the first byte of "é", then the rest',
      );
      assert.equal(client.code, 0, "the client's exit code");
    },
    { needs: { client: "behaviour" } },
  );

  step(
    "control characters from the server are printed escaped",
    "client.ts: print the text through escapeText() from common/escape.ts.",
    async (t) => {
      const fake = await fakeServer(t, async (socket) => {
        socket.end("\x1b]0;pwned\x07\x1b[2J");
        await once(socket, "close");
      });
      const client = await run("client.ts", ["--host", "127.0.0.1", "--port", fake.port]);
      assert.deepEqual(client.stdout, ["\\x1b]0;pwned\\x07\\x1b[2J"], "what the client printed");
    },
    {
      anyLanguage:
        'Print the text with each control character shown as \\x and two hex digits (the escape character as \\x1b), so that a server cannot drive the terminal (Python: "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)).',
      needs: { client: "behaviour" },
    },
  );

  step(
    "a server that never closes hits --timeout: one sentence, exit 1",
    "client.ts: give the socket a time limit of --timeout seconds on everything it does; when it runs out, reading stops with an error, which the client explains in one sentence before exiting 1.",
    async (t) => {
      const fake = await fakeServer(t, async (socket) => {
        socket.write("Hello ");
        await once(socket, "close");
      });
      const args = ["--host", "127.0.0.1", "--port", fake.port, "--timeout", "0.5"];
      const client = await run("client.ts", args);
      assert.equal(client.code, 1, "the client's exit code");
      assert.equal(client.stderr.length, 1, "how many error lines the client printed");
      assert.match(client.stderr[0] ?? "", /No answer from 127\.0\.0\.1:\d+ in time/);
    },
    { needs: { client: "timeout" } },
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
      assert.match(client.stderr[0] ?? "", /npm run lesson:2:server/);
    },
    { needs: { client: "errors" } },
  );

  step(
    "a port already in use is one sentence naming the port, exit 1",
    "server.ts: when listen() fails, .catch(failAt(...)) from common/errors.ts prints the sentence.",
    async (t) => {
      const holder = await fakeServer(t, () => Promise.resolve());
      const server = await run("server.ts", ["--port", holder.port]);
      assert.equal(server.code, 1, "the server's exit code");
      assert.equal(server.stderr.length, 1, "how many error lines the server printed");
      assert.match(server.stderr[0] ?? "", new RegExp(`^Port ${holder.port} is already in use`));
    },
    { needs: { server: "errors" } },
  );

  step(
    "bad flags print what is wrong and the usage, exit 2",
    "flags.ts parses the flags; it is written for you.",
    async () => {
      const cases = [
        ["--bogus"],
        ["--port", "70000"],
        ["--port", "abc"],
        ["--timeout", "-1"],
        ["--timeout", "3000000"], // Past Node's timers' 24.8 days, it would run out at once.
      ];
      for (const args of cases) {
        for (const file of ["server.ts", "client.ts"]) {
          const result = await run(file, args);
          assert.equal(result.code, 2, `${file} ${args.join(" ")}`);
          assert.ok(result.stderr.some((line) => line.startsWith("Usage:")));
        }
      }
    },
    { needs: { server: "flags", client: "flags" } },
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
    "--trace shows the greeting's 12 bytes going out and the close that ends the message",
    "common/trace.ts does this once --trace is given; client.ts calls traceConnect(socket, ...) after connect().",
    async () => {
      const { server, port } = await startServer(["--trace"]);
      const client = await run("client.ts", ["--port", port, "--trace"]);
      const events = (lines: string[]) =>
        lines.map((each) =>
          each.replace(/^trace \| \+\d+\.\d{3}s \S+ /, "").replace(/: from port \d+$/, ""),
        );
      assert.deepEqual(events(client.stdout), [
        "'connect' = connect()",
        `'data' = recv(): 12 bytes "Hello Client"`,
        "'end' = the peer's shutdown(SHUT_WR): a FIN, it sends no more",
        // Node answers the server's FIN with its own (allowHalfOpen is off).
        "end() = shutdown(SHUT_WR): a FIN, we send no more",
        "Hello Client",
        "'close' = close()",
      ]);
      assert.equal(await server.exit(), 0, "the server's exit code");
      const sent = server.stdout.find((each) => each.startsWith("Sent")) ?? "";
      assert.match(sent, new RegExp(`^Sent Hello Client to ${ANY_LOOPBACK}:\\d+$`));
      assert.deepEqual(events(server.stdout).slice(3), [
        "'connection' = accept()",
        'write() = send(): 12 bytes "Hello Client"',
        "end() = shutdown(SHUT_WR): a FIN, we send no more",
        sent,
        "'end' = the peer's shutdown(SHUT_WR): a FIN, it sends no more",
        "'close' = close()",
      ]);
    },
    { needs: { server: "trace", client: "trace" } },
  );
});

typeCheckStep();
