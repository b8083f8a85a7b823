// Lesson 4's tests: the real receiver and sender as processes, and datagrams the tests craft
// themselves (empty, huge, junk, numbered with chosen gaps) from a UDP socket of their own.
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { describe, type TestContext } from "node:test";
import { numbered } from "../datagrams.ts";
import {
  ANY_LOOPBACK,
  atOnce,
  hasFeature,
  recordDatagrams,
  run,
  start,
  startCommand,
  startReceiver,
  step,
  stop,
  typeCheckStep,
} from "./harness.ts";
import { deadline } from "./deadline.ts";
import { nodeArguments } from "./programs.ts";

/** Starts the receiver on a free port for one test, and stops it when the test ends. */
async function receiverFor(t: TestContext, args: string[] = []) {
  const started = await startReceiver(args);
  t.after(() => {
    stop(started.receiver);
  });
  return started;
}

/**
 * A burst ends when its sender has been quiet for the receiver's --pause (a second by default):
 * a shorter one here, still far longer than the gaps between one burst's datagrams.
 */
const BURST_PAUSE = ["--pause", "0.3"];

/** What a receiver printed for the datagrams, without its ready line. */
function received(receiver: { stdout: string[] }): string[] {
  return receiver.stdout.filter((line) => !line.startsWith("Receiver is running on "));
}

/** A UDP port that was free a moment ago, and that nobody receives on: bound, then closed. */
async function portNobodyReceivesOn(): Promise<string> {
  const socket = createSocket("udp4");
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  const { port } = socket.address();
  socket.close();
  return String(port);
}

/** Sends each datagram, in order, from one socket of the test's; returns that socket's port. */
async function sendDatagrams(port: number, datagrams: (string | Buffer)[], host = "127.0.0.1") {
  const socket = createSocket(host.includes(":") ? "udp6" : "udp4");
  recordDatagrams(socket, "the receiver"); // Drawn in failed-step-N.md if the step fails.
  socket.bind(0);
  await once(socket, "listening");
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) => {
        socket.send(datagram, port, host, (error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    }
    return socket.address().port;
  } finally {
    socket.close();
  }
}

describe("lesson 4: udp-birthday", { concurrency: atOnce(4) }, () => {
  step(
    "the birthday message: the sender reports it, the receiver prints it and its sender",
    "The receiver binds a UDP socket to its port and prints where it receives (Receiver is running on ...), then prints each datagram's text and its sender. The sender sends the message to that address and port, says so, and closes its socket: an open UDP socket keeps a program running.",
    async (t) => {
      const { receiver, port } = await receiverFor(t);
      if (hasFeature("server", "log")) {
        assert.match(
          receiver.stdout[0] ?? "",
          /^Receiver is running on 127\.0\.0\.1:\d+ and \[::1\]:\d+$/,
        );
      }
      const sender = await run("client.ts", ["--port", String(port)]);
      assert.equal(sender.code, 0, "the sender's exit code");
      const line = await receiver.waitForLine(/Happy/);
      if (!hasFeature("server", "log")) {
        assert.match(line, /^Happy Birth Day Server\b/, "the receiver's line for the datagram");
        return;
      }
      if (!hasFeature("client", "log")) {
        assert.match(line, new RegExp(`^Happy Birth Day Server from ${ANY_LOOPBACK}:\\d+$`));
        return;
      }
      assert.match(
        sender.stdout[0] ?? "",
        new RegExp(`^Sent 22 bytes to ${ANY_LOOPBACK}:${port} from \\d+$`),
      );
      const [, to, from] = /to (\S+):\d+ from (\d+)$/.exec(sender.stdout[0] ?? "") ?? [];
      assert.equal(line, `Happy Birth Day Server from ${to ?? ""}:${from ?? ""}`);
    },
    { needs: { server: "behaviour", client: "behaviour" } },
  );

  step(
    "a message of your own, and Ctrl+C's count of datagrams and senders",
    "The sender sends the message given on the command line; on Ctrl+C the receiver prints how many datagrams it received and from how many senders.",
    async (t) => {
      const { receiver, port } = await receiverFor(t);
      // Two senders at once: the receiver prints each datagram in the order it arrives.
      await Promise.all([
        run("client.ts", ["--port", String(port), "Happy", "New", "Year"]),
        run("client.ts", ["--port", String(port)]),
      ]);
      // Each line as it comes: the two datagrams may arrive in either order.
      await receiver.waitForLine(/^Happy Birth Day Server from/);
      assert.match(
        await receiver.waitForLine(/^Happy New Year from/),
        new RegExp(`^Happy New Year from ${ANY_LOOPBACK}:\\d+$`),
      );
      if (process.platform === "win32") return; // No SIGINT to send to a child on Windows.
      receiver.child.kill("SIGINT");
      assert.equal(await receiver.exit(2_000), 0, "the receiver's exit code");
      assert.equal(receiver.stdout.at(-1), "Receiver stopped: 2 datagram(s) from 2 sender(s).");
    },
    { needs: { server: "ctrl-c", client: "flags" } },
  );

  step(
    "a message piped in with -, sent without its last line break",
    "client.ts: a message of - is standard input without its last line break (messageToSend() in flags.ts reads it), for messages longer than a command line holds.",
    async (t) => {
      const { receiver, port } = await receiverFor(t);
      const sender = await run("client.ts", ["--port", String(port), "-"], "Happy New Year\r\n");
      assert.equal(sender.code, 0, sender.stderr.join("\n"));
      assert.match(sender.stdout[0] ?? "", /^Sent 14 bytes to /);
      assert.match(await receiver.waitForLine(/Happy/), /^Happy New Year from /);
    },
    { needs: { client: "flags" } },
  );

  step(
    "with no receiver, the sender still succeeds: nothing tells it",
    "UDP has no connection: send() succeeds whether or not anyone receives it.",
    async () => {
      const sender = await run("client.ts", ["--port", await portNobodyReceivesOn()]);
      assert.equal(sender.code, 0, "the sender's exit code");
      if (hasFeature("client", "log")) assert.match(sender.stdout[0] ?? "", /^Sent 22 bytes to /);
    },
    { needs: { client: "behaviour" } },
  );

  step(
    "a zero-length datagram is reported as empty",
    "Every datagram is a 'message' event, even one of zero bytes: print it as (empty datagram) (describeDatagram() in datagrams.ts does).",
    async (t) => {
      const { receiver, port } = await receiverFor(t);
      const from = await sendDatagrams(port, [Buffer.alloc(0)]);
      assert.equal(await receiver.waitForLine(/empty/), `(empty datagram) from 127.0.0.1:${from}`);
    },
    { needs: { server: "log" } },
  );

  step(
    "a 65,507-byte datagram arrives whole, shown as its length and start",
    "a 'message' event carries the whole datagram, however large; no recvfrom(1024) limit.",
    async (t) => {
      const { receiver, port } = await receiverFor(t);
      await sendDatagrams(port, ["x".repeat(65_507)]);
      const line = await receiver.waitForLine(/xx/);
      if (hasFeature("server", "log")) {
        assert.match(
          line,
          new RegExp(String.raw`^\(65507 bytes\) x{80}\.\.\. from 127\.0\.0\.1:\d+$`),
        );
      } else if (!line.includes("65507") && !line.includes("x".repeat(65_507))) {
        const shown = /x+/.exec(line)?.[0].length ?? 0;
        throw new Error(
          `The receiver printed ${shown} of the datagram's 65,507 x's, and not its length: it read at most ${shown} bytes of it (recvfrom(1024) keeps only the first 1,024 bytes of a datagram and drops the rest).`,
        );
      }
    },
    {
      anyLanguage:
        "One recvfrom() returns one whole datagram, cut to the size asked for: ask for 65,535 bytes (Python: s.recvfrom(65535)); the seed's recvfrom(1024) drops all but the first 1,024 bytes.",
      needs: { server: "behaviour" },
    },
  );

  step(
    "a 65,508-byte message is refused before sending: one sentence, exit 1",
    "client.ts: exitIfTooLarge() from flags.ts refuses a message that no datagram can carry.",
    async () => {
      const sender = await run("client.ts", ["--port", "9", "-"], "x".repeat(65_508));
      assert.equal(sender.code, 1, "the sender's exit code");
      assert.deepEqual(sender.stdout, [], "what the sender printed");
      assert.deepEqual(sender.stderr, [
        "The message is 65508 bytes, but one UDP datagram carries at most 65507 bytes. Send a shorter message.",
      ]);
    },
    { needs: { client: "errors" } },
  );

  step(
    "junk bytes and escape sequences are printed escaped, and the receiver goes on",
    "Decode each datagram so that bytes that are not UTF-8 cannot throw, and print its text escaped, so that a sender cannot drive the terminal; then go on receiving.",
    async (t) => {
      const { receiver, port } = await receiverFor(t);
      const junk = Buffer.from([0xff, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xc3]);
      await sendDatagrams(port, [junk, "\x1b]0;pwned\x07", "still here"]);
      await receiver.waitForLine(/^still here/);
      const [junkLine = "", escapesLine = ""] = received(receiver);
      assert.match(junkLine, /^\uFFFD\\x00\\x1b\[2J\uFFFD(?= |$)/);
      assert.match(escapesLine, /^\\x1b\]0;pwned\\x07\b/);
    },
    { needs: { server: "behaviour" } },
  );

  step(
    "the loss report counts exactly the numbers the test dropped and reordered",
    "Count each numbered datagram (seq=N/TOTAL) per sender, and report the burst once its sender falls quiet (Bursts in datagrams.ts does).",
    async (t) => {
      const { receiver, port } = await receiverFor(t, BURST_PAUSE);
      // Of 10, numbers 6 and 9 are never sent, and 4 comes after 5.
      const order = [1, 2, 3, 5, 4, 7, 8, 10];
      const from = await sendDatagrams(
        port,
        order.map((seq) => numbered(seq, 10, "hi")),
      );
      const report = await receiver.waitForLine(/^Burst from/); // After the pause.
      assert.equal(
        report,
        `Burst from 127.0.0.1:${from}: 10 expected, 8 arrived, 2 lost (20.0%), 1 out of order`,
      );
      assert.ok(
        !receiver.stdout.some((line) => line.startsWith("seq=")),
        "numbered datagrams are counted, not printed",
      );
    },
    { needs: { server: "loss-report" } },
  );

  step(
    "a burst from the sender is counted and reported, sent rate included",
    "client.ts: with --count, sendBurst() from datagrams.ts sends the numbered datagrams.",
    async (t) => {
      const { receiver, port } = await receiverFor(t, BURST_PAUSE);
      const sender = await run("client.ts", ["--port", String(port), "--count", "200"]);
      assert.match(
        sender.stdout[0] ?? "",
        new RegExp(
          String.raw`^Sent 200 numbered datagrams to ${ANY_LOOPBACK}:\d+ from \d+ in [\d.]+ s \([\d,]+ datagrams/s\)$`,
        ),
      );
      assert.match(
        await receiver.waitForLine(/^Burst from/),
        /: 200 expected, \d+ arrived, \d+ lost \([\d.]+%\), \d+ out of order$/,
      );
    },
    { needs: { server: "loss-report", client: "loss-report" } },
  );

  step(
    "where localhost resolves to ::1 first, the sender still reaches an IPv4-only receiver, as the seed's receiver4.py is",
    "client.ts: send to the IPv4 address of the name when it has one (lookup() with { all: true } lists them), as Python's IPv4 socket does: a datagram sent to ::1 never reaches a receiver bound to 127.0.0.1, and UDP does not say so.",
    async (t) => {
      const ipv4Only = createSocket("udp4");
      recordDatagrams(ipv4Only, "the sender");
      ipv4Only.bind(0, "127.0.0.1");
      await once(ipv4Only, "listening");
      t.after(() => ipv4Only.close());
      const port = String(ipv4Only.address().port);
      const arrived = once(ipv4Only, "message", { signal: deadline(5_000) });
      // The fixture makes this sender's `localhost` resolve to ::1 first, as on macOS and Windows.
      const node = [
        "--import",
        "./check/localhost-ipv6-first.mjs",
        ...(await nodeArguments("client.ts")),
      ];
      // A sender given to check.ts resolves localhost as this system does.
      const sender = hasFeature("client", "flags")
        ? await startCommand(process.execPath, [...node, "--port", port], "", false, "client.ts")
        : await start("client.ts", ["--port", port]);
      assert.equal(await sender.exit(), 0, sender.stderr.join("\n"));
      const [data] = (await arrived.catch(() => {
        throw new Error(
          `The receiver bound to 127.0.0.1 got nothing within 5 s; the sender said: ${sender.stdout.join(" ")}`,
        );
      })) as [Buffer];
      assert.equal(data.toString(), "Happy Birth Day Server");
    },
    {
      anyLanguage:
        "Send to the IPv4 address of the name (Python: an AF_INET socket resolves localhost to 127.0.0.1): a datagram sent to ::1 never reaches a receiver bound to 127.0.0.1, and UDP does not say so.",
      needs: { client: "behaviour" },
    },
  );

  step(
    "a datagram sent to the other address family is lost, and the sender is not told",
    "a datagram sent where nobody receives is lost without a word: UDP does not tell.",
    async (t) => {
      const { receiver, port } = await receiverFor(t, ["--host", "127.0.0.1"]);
      const lost = await run("client.ts", ["--host", "::1", "--port", String(port), "lost"]);
      assert.equal(lost.code, 0, "the sender believes it worked");
      await run("client.ts", ["--host", "127.0.0.1", "--port", String(port), "arrived"]);
      await receiver.waitForLine(/^arrived from/);
      assert.deepEqual(receiver.stdout.slice(1), [receiver.stdout[1]]);
      assert.match(receiver.stdout[1] ?? "", /^arrived from/);
    },
    { needs: { server: "flags", client: "flags" } },
  );

  step(
    "a port already in use is one sentence naming the port, exit 1",
    "When the port is taken, the receiver prints one sentence naming the port and exits with code 1 (failAt() in common/errors.ts says it).",
    async (t) => {
      const holder = createSocket("udp4");
      holder.bind(0, "127.0.0.1");
      await once(holder, "listening");
      t.after(() => holder.close());
      const port = holder.address().port;
      const receiver = await run("server.ts", ["--port", String(port)]);
      assert.equal(receiver.code, 1, "the receiver's exit code");
      assert.equal(receiver.stderr.length, 1, "how many error lines the receiver printed");
      assert.match(receiver.stderr[0] ?? "", new RegExp(`^UDP port ${port} is already in use`));
    },
    { needs: { server: "errors" } },
  );

  step(
    "bad flags print what is wrong and the usage, exit 2",
    "flags.ts parses the flags; it is written for you.",
    async () => {
      const mistakes = [["--bogus"], ["--port", "70000"], ["--port", "abc"], ["--count", "0"]];
      const results = await Promise.all(
        mistakes.map((args) => run(args[0] === "--count" ? "client.ts" : "server.ts", args)),
      );
      for (const [index, result] of results.entries()) {
        assert.equal(result.code, 2, mistakes[index]?.join(" "));
        assert.ok(result.stderr.some((line) => line.startsWith("Usage:")));
      }
    },
    { needs: { server: "flags", client: "flags" } },
  );
  step(
    "--trace shows each datagram's size and sender, the empty one too",
    "common/trace.ts does this once --trace is given: bind() from common/bind.ts traces each socket it binds.",
    async (t) => {
      const { receiver, port } = await receiverFor(t, ["--trace"]);
      const from = await sendDatagrams(port, ["Happy Birth Day Server", ""]);
      const line = String.raw`^trace \| \+\d+\.\d{3}s 127\.0\.0\.1:${from} 'message' = recvfrom\(\): `;
      assert.ok(receiver.stdout.some((each) => each.endsWith("'listening' = bind()")));
      assert.match(
        await receiver.waitForLine(/22 bytes/),
        new RegExp(`${line}22 bytes "Happy Birth Day Server"$`),
      );
      assert.match(
        await receiver.waitForLine(/0 bytes/),
        new RegExp(`${line}0 bytes \\(empty\\)$`),
      );
      await receiver.waitForLine(/^\(empty datagram\) from/);
    },
    { needs: { server: "trace" } },
  );
});

typeCheckStep();
