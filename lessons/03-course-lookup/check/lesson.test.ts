// Lesson 3's tests: the real server and client as processes, plus raw TCP clients that frame
// their requests every way a student's tool might.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, type TestContext } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { isDeepStrictEqual } from "node:util";
import {
  ANY_LOOPBACK,
  atOnce,
  freePort,
  recordWire,
  run,
  startCommand,
  start,
  startServer,
  step,
  stop,
  typeCheckStep,
} from "./harness.ts";
import { afterRunning, deadline } from "./deadline.ts";
import { nodeArguments } from "./programs.ts";
import { givenCommandLine } from "./under-test.ts";
import { temporaryFolder } from "./temporary.ts";

const PYTHON = "CourseName:Python,Duration:1Year,Fee=4000";
const JAVA = "CourseName:Java,Duration:2Year,Fee=2000";
const C = "CourseName:C,Duration:2Months,Fee=1000";
const NOT_AVAILABLE = "this course is not available";
/** For tests of requests sent in pieces: no stall of a busy machine ends a request early. */
const LONG_PAUSE = ["--pause", "5"];
/** The gap between two pieces of one request: a fifth of the shortest pause a server may take. */
const PIECE_GAP_MS = 20;

/** A request as a student would write it in a string: a newline shown as \n. */
function escaped(text: string): string {
  return text.replaceAll("\n", "\\n");
}

/** Starts the server on a free port for one test, and stops it when the test ends. */
async function serverFor(t: TestContext, args: string[] = []) {
  const { server, port, first } = await startServer(args);
  first?.destroy(); // A server given to check.ts: the connection that found it ready asks nothing.
  t.after(() => {
    stop(server);
  });
  return { server, port: Number(port) };
}

/**
 * What a client printed, without the seed's prompt: its input("CourseName:") prints the prompt
 * even when the name comes from a pipe, and the reply follows on the same line.
 */
function printed(client: { stdout: string[] }): string[] {
  const [first = "", ...rest] = client.stdout;
  const prompt = /^CourseName:(?=CourseName:|this course is not available$)/;
  return client.stdout.length === 0 ? [] : [first.replace(prompt, ""), ...rest];
}

/** Connects, sends each piece with a gap between them, and collects what comes back. */
async function exchange(
  port: number,
  pieces: (string | Buffer)[],
  { gapMs = 0, halfClose = true, replies = Infinity, host = "127.0.0.1" } = {},
) {
  return onTime(async () => {
    const socket = await connected(port, host);
    const late = await sendPieces(socket, pieces, gapMs);
    if (halfClose) socket.end();
    return { late, replies: readLines(socket, replies) };
  });
}

/** Sends `pieces` as exchange() does, and checks the replies; a failure says what was sent. */
async function expectReplies(
  expected: string[],
  port: number,
  pieces: (string | Buffer)[],
  options: Parameters<typeof exchange>[2] = {},
): Promise<void> {
  const replies = await exchange(port, pieces, options);
  assert.deepEqual(replies, expected, `the server's replies, ${sentWords(pieces, options)}`);
}

/** What a step sent, as a verdict says it: each piece's bytes, their gaps, and the half-close. */
function sentWords(
  pieces: (string | Buffer)[],
  { gapMs = 0, halfClose = true }: Parameters<typeof exchange>[2] = {},
): string {
  const shown = pieces.map((piece) => {
    const bytes = Buffer.from(piece);
    if (bytes.length <= 40) return `"${bytesShown(bytes)}"`;
    return `"${bytesShown(bytes.subarray(0, 16))}..." (${bytes.length} bytes)`;
  });
  const gap = gapMs > 0 ? `, ${gapMs} ms apart,` : "";
  const sent = shown.length === 1 ? `sent ${shown[0]}` : `sent ${shown.join(" then ")}${gap}`;
  return `${sent}${halfClose ? " and half-closed" : ", the connection left open"}`;
}

/** Bytes as text a student can read: printable ASCII as it is, \n, \r, and \xNN for the rest. */
function bytesShown(bytes: Buffer): string {
  const named: Record<number, string> = { 0x0a: "\\n", 0x0d: "\\r", 0x22: '\\"', 0x5c: "\\\\" };
  return Array.from(
    bytes,
    (byte) =>
      named[byte] ??
      (byte >= 0x20 && byte < 0x7f
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, "0")}`),
  ).join("");
}

/**
 * Step 12's two clients once more, one after the other: when each alone gets its reply, what
 * went wrong together is state that the connections share, and the verdict says so.
 */
async function whyNotTogether(port: number): Promise<string> {
  const alone = [
    await exchange(port, ["pyt", "hon\n"], { gapMs: PIECE_GAP_MS }),
    await exchange(port, ["java\n"]),
  ];
  if (!isDeepStrictEqual(alone, [[PYTHON], [JAVA]])) return "";
  return ". Sent again one client after the other, each got its reply; together, they did not: is some state shared between connections, such as one buffer for all?";
}

/**
 * How much later than its gap a piece may leave. A server may end a request after a pause of
 * 0.1 s (the shortest the README allows), and the steps send a request's pieces at most 20 ms
 * apart; but a busy machine can stall this process longer than that between two writes, and
 * then a server rightly ends the request early. Such a try says nothing of the server. 20 ms
 * and 50 ms late still leave 30 ms before the shortest pause.
 */
const STALL_MS = 50;

/** Sends `pieces`, `gapMs` apart; true when one left more than STALL_MS after its time. */
async function sendPieces(socket: Socket, pieces: (string | Buffer)[], gapMs: number) {
  let late = false;
  let sentAt = performance.now();
  for (const [index, piece] of pieces.entries()) {
    if (index > 0 && gapMs > 0) await delay(gapMs);
    const now = performance.now();
    if (index > 0 && now - sentAt > gapMs + STALL_MS) late = true;
    sentAt = now;
    socket.write(piece);
  }
  return late;
}

/** How many times a step sends its pieces before it blames the machine, never the program. */
const STALL_TRIES = 5;

/**
 * Runs `attempt` until it sent its pieces on time, three tries at most, and returns its replies.
 * A late try still ends as the server answers it, so that it leaves nothing half-sent behind.
 */
async function onTime<Replies>(
  attempt: () => Promise<{ late: boolean; replies: Promise<Replies> }>,
): Promise<Replies> {
  for (let tries = 1; tries <= STALL_TRIES; tries += 1) {
    const { late, replies } = await attempt();
    if (!late) return replies;
    await replies.catch(() => undefined);
  }
  throw new Error(
    `This computer was too busy to send a request's pieces on time, ${STALL_TRIES} times (each more than ${STALL_MS} ms late): that says nothing about the program. Close some programs and run the check again.`,
  );
}

/** A connection to the server, open in both directions until the test ends it. */
async function connected(port: number, host = "127.0.0.1"): Promise<Socket> {
  const socket = connect({ host, port, allowHalfOpen: true });
  recordWire(socket); // Drawn in failed-step-N.md if the step fails.
  await once(socket, "connect").catch((error: unknown) => {
    const { code } = error as NodeJS.ErrnoException;
    const why = code === "ECONNREFUSED" ? "nothing is listening there" : String(code);
    const where = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    throw new Error(`The test could not connect to ${where}: ${why}.`, { cause: error });
  });
  return socket;
}

/**
 * How many of step 21's 50 clients are connected at one time, besides its silent one: fewer than
 * a listen queue of 10 holds (the seed's listen(10)), so that whether a queue that small
 * overflows never depends on how fast the server accepts; README.md states it.
 */
const CLIENTS_AT_ONCE = 8;

/**
 * Runs `count` clients, at most CLIENTS_AT_ONCE at a time, and returns how each ended; after the
 * first that fails, it starts no more, so that a verdict comes within one client's time limit.
 */
async function clientsInTurn<Outcome>(count: number, client: () => Promise<Outcome>) {
  const outcomes: PromiseSettledResult<Outcome>[] = [];
  let started = 0;
  let failed = false;
  const oneAfterAnother = async () => {
    while (started < count && !failed) {
      started += 1;
      const [outcome] = await Promise.allSettled([client()]);
      failed ||= outcome.status === "rejected";
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS_AT_ONCE }, oneAfterAnother));
  return outcomes;
}

/**
 * Why clients were reset before any reply: the system accepted more connections than the
 * server's listen queue holds, and reset the rest.
 */
function queueOverflowed(reset: number, count: number): string {
  return `The server reset ${reset} of the ${count} clients that had connected (ECONNRESET) before replying, with ${CLIENTS_AT_ONCE + 1} connected at a time: more clients arrived than its listen queue holds while they wait to be accepted. Listen with a queue of at least 10 (Python: s.listen(socket.SOMAXCONN)), and accept each connection as soon as it arrives.`;
}

/** The system's code of a socket error (ECONNRESET, EPIPE, ...), wherever the error holds it. */
function errorCode(error: unknown): string | undefined {
  const { code, cause } = (error ?? {}) as NodeJS.ErrnoException;
  return code ?? (cause === undefined ? undefined : errorCode(cause));
}

/** How long a client has to half-close once it has sent its request. */
const HALF_CLOSE_MS = 2_000;

/** How long a reply may stop halfway: a server writes its line and newline together. */
const HALF_LINE_MS = 1_000;

/**
 * Reads lines until `count` have arrived or the server closes; fails after `seconds`, or after a
 * second with part of a line and no newline (the seed's server never sends one, nor closes).
 */
async function readLines(socket: Socket, count = Infinity, seconds = 5): Promise<string[]> {
  const text = await readText(socket, count, seconds);
  return text.split("\n").filter((line, index, all) => line !== "" || index < all.length - 1);
}

/** What readLines reads, as it arrived: the last line's newline, or its absence, shows. */
async function readText(socket: Socket, count: number, seconds = 5): Promise<string> {
  let text = "";
  const fail = (why: string) => socket.destroy(new Error(why));
  const tooLate = afterRunning(seconds * 1000, () => {
    fail(`No reply within ${seconds} s: only ${JSON.stringify(text)} arrived.`);
  });
  let halfLine: ReturnType<typeof afterRunning> | undefined;
  try {
    for await (const chunk of socket.iterator({ destroyOnReturn: true })) {
      text += String(chunk);
      if (text.split("\n").length - 1 >= count) break;
      halfLine?.cancel();
      if (!text.endsWith("\n")) {
        halfLine = afterRunning(HALF_LINE_MS, () => {
          const rest = text.slice(text.lastIndexOf("\n") + 1);
          fail(
            `The server sent ${JSON.stringify(rest)} and then nothing for ${HALF_LINE_MS / 1000} s: no newline ended that reply, and the connection stayed open.`,
          );
        });
      }
    }
  } finally {
    tooLate.cancel();
    halfLine?.cancel();
    socket.destroy();
  }
  return text;
}

// Four groups at once, each one step at a time: a few programs starting together, which two
// cores take alongside the rest of npm test (all 29 at once starved their ready lines).
describe("lesson 3: course-lookup", { concurrency: atOnce(4) }, () => {
  describe("the exchange", { concurrency: 1 }, () => {
    step(
      "python, c and C++, by argument, over both loopback addresses",
      "The server listens on both loopback addresses; for each request it looks the course up and replies with the course's line and a newline. The client connects, sends the name, reads the reply and prints its line, without the newline.",
      async (t) => {
        const { port } = await serverFor(t);
        for (const [course, reply] of [
          ["python", PYTHON],
          ["c", C],
          ["C++", NOT_AVAILABLE],
        ]) {
          const client = await run("client.ts", ["--port", String(port), course ?? ""]);
          assert.deepEqual(
            printed(client),
            [reply],
            `what the client printed, asked for ${course}`,
          );
          assert.equal(client.code, 0, "the client's exit code");
        }
        // Where it says it listens, it answers: over IPv6 loopback too, where localhost may go.
        assert.deepEqual(
          await exchange(port, ["python\n"], { host: "::1" }),
          [PYTHON],
          "the server's replies over [::1]",
        );
      },
      { needs: { server: "behaviour", client: "behaviour" } },
    );

    step(
      "the server says where it listens, then logs one line per request: who asked for what",
      "Print the ready line with both addresses, then for each request the client's address and the course asked for, found or not, as README.md shows. A request ends at a newline, LF or CRLF, and neither is part of it: drop the CR of a CRLF too.",
      async (t) => {
        const { server, port } = await serverFor(t);
        assert.match(
          server.stdout[0] ?? "",
          /^Server is running on 127\.0\.0\.1:\d+ and \[::1\]:\d+$/,
        );
        const requests = ["python\n", "c\n", "C++\n", "  JaVa \r\n"];
        for (const request of requests) await exchange(port, [request]);
        await server.waitForLines(/asked for/, requests.length);
        const logged = server.stdout.slice(1).map((line) => line.replace(/^\S+ /, ""));
        assert.match(
          server.stdout[1] ?? "",
          new RegExp(`^${ANY_LOOPBACK}:\\d+ asked for "python": found$`),
        );
        assert.deepEqual(
          logged,
          [
            'asked for "python": found',
            'asked for "c": found',
            'asked for "C++": not found',
            'asked for "  JaVa ": found',
          ],
          "the server's log lines (after the client's address), for python, c, C++ and \"  JaVa \\r\\n\"",
        );
      },
      { needs: { server: "log" } },
    );

    step(
      "the server's reply is the seed's text and a newline, byte for byte",
      "Send the reply followed by a newline: the newline is how a client knows the reply is complete.",
      async (t) => {
        const { port } = await serverFor(t);
        const socket = await connected(port);
        socket.setEncoding("latin1"); // Each byte as one character: the comparison counts bytes.
        socket.end("python\n");
        const reply = await readText(socket, 1);
        assert.equal(reply, `${PYTHON}\n`, 'connected, sent "python\\n" and half-closed');
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "the client sends exactly the name's bytes, then half-closes: a server that reads to the end answers",
      "The client sends the name with no newline and then half-closes its side (end, not write), so a server that reads until the end of the stream, as the seed's recv does, knows the request is whole.",
      async (t) => {
        let received = "";
        const clientEnded = new AbortController(); // The stand-in server saw the client's end.
        const ended = once(clientEnded.signal, "abort");
        const readsToEnd = createServer({ allowHalfOpen: true }, (socket) => {
          recordWire(socket, "server");
          socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
          socket.on("end", () => {
            clientEnded.abort();
            socket.end(`${PYTHON}\n`);
          });
        }).listen(0, "127.0.0.1");
        t.after(() => readsToEnd.close());
        await once(readsToEnd, "listening");
        const address = readsToEnd.address();
        const port = String(typeof address === "object" && address !== null ? address.port : 0);
        const running = await start("client.ts", ["--host", "127.0.0.1", "--port", port, "python"]);
        const tooLate = deadline(HALF_CLOSE_MS);
        await Promise.race([ended, once(tooLate, "abort")]);
        if (tooLate.aborted) {
          throw new Error(
            `The client sent ${JSON.stringify(received)} and then did not half-close within ${HALF_CLOSE_MS / 1000} s: a server that reads until the end of the stream never learns that the request is whole, and both wait.`,
          );
        }
        const client = { code: await running.exit(), stdout: running.stdout };
        assert.equal(received, "python", "the server received exactly the name's bytes");
        assert.deepEqual(client.stdout, [PYTHON], "what the client printed");
        assert.equal(client.code, 0, "the client's exit code");
      },
      { needs: { client: "behaviour" } },
    );

    step(
      "the course name from piped input, its first line",
      "client.ts: with no argument, the course name comes from readCourseName() in flags.ts.",
      async (t) => {
        const { port } = await serverFor(t);
        const client = await run("client.ts", ["--port", String(port)], "java\npython\n");
        assert.deepEqual(printed(client), [JAVA], "what the client printed");
        assert.equal(client.code, 0, "the client's exit code");
      },
      {
        anyLanguage:
          "With no course name given, read the first line of standard input (Python: input() or sys.stdin.readline()) and send it without its newline.",
        needs: { client: "behaviour" },
      },
    );

    step(
      "empty input is a sentence and exit 2",
      "client.ts: exitIfEmpty(course) from flags.ts says how to give a name.",
      async (t) => {
        const { port } = await serverFor(t);
        for (const input of ["", "\n", "   \n"]) {
          const client = await run("client.ts", ["--port", String(port)], input);
          assert.equal(client.code, 2, JSON.stringify(input));
          assert.match(client.stderr[0] ?? "", /^No course name given/);
        }
      },
      { needs: { client: "errors" } },
    );

    step(
      "the CourseName: prompt, typed through a pseudo-terminal",
      "client.ts: readCourseName() from flags.ts asks CourseName: on a terminal, like the seed's input().",
      async (t) => {
        const { port } = await serverFor(t);
        const node = [process.execPath, ...(await nodeArguments("client.ts"))];
        const command =
          givenCommandLine("client", { port: String(port), host: "localhost" }) ??
          `${node.map((word) => `"${word}"`).join(" ")} --port ${port}`;
        const session = await startCommand(
          "/usr/bin/script",
          ["-qec", command, "/dev/null"],
          "",
          true,
        );
        await session.waitForOutput(/CourseName:/);
        session.child.stdin?.end("python\n");
        assert.equal(await session.exit(), 0, "the client's exit code, typed at in a terminal");
        // The terminal shows the prompt, the echo of what was typed, then the reply on its own line.
        assert.match(session.stdout.join("\n"), /CourseName:(\S*\[\d+G)?python/);
        assert.equal(session.stdout.at(-1), PYTHON, "the last line the terminal showed");
      },
      {
        skip: !hasScript() && "util-linux `script` is needed for a pseudo-terminal",
        anyLanguage:
          'On a terminal, ask CourseName: and read the name typed, as the seed\'s input("CourseName:") does.',
        needs: { client: "behaviour" },
      },
    );
  });

  describe("framing: where a request ends", { concurrency: 1 }, () => {
    step(
      "a newline, LF or CRLF, with names trimmed and matched ignoring case",
      "A request ends at a newline, LF or CRLF, and neither is part of it. Look the name up with surrounding spaces trimmed, ignoring case.",
      async (t) => {
        const { port } = await serverFor(t);
        await expectReplies([PYTHON], port, ["python\n"]);
        await expectReplies([JAVA], port, ["  JaVa \r\n"]);
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "the client half-closing, with no newline (printf python | nc -N)",
      "A client that half-closes has sent its whole request: answer what is gathered, and keep your side open to reply (createServer's allowHalfOpen: true).",
      async (t) => {
        const { port } = await serverFor(t);
        await expectReplies([PYTHON], port, ["python"]);
      },
      {
        anyLanguage:
          "When recv() returns empty bytes, the client has half-closed: its request is whole. Answer what is gathered, then close: your side can still send after the client's has closed.",
        needs: { server: "behaviour" },
      },
    );

    step(
      "a short pause, for a client that neither ends the line nor closes",
      "A request with no newline whose client then goes quiet for --pause is whole: answer it.",
      async (t) => {
        const { port } = await serverFor(t);
        const lines = await exchange(port, ["python"], { halfClose: false, replies: 1 });
        assert.deepEqual(lines, [PYTHON]);
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "a request split across writes 20 ms apart, at any point or one byte at a time, is one request",
      "One 'data' event is not one request: keep the bytes that have arrived and add each new chunk to them until the request ends.",
      async (t) => {
        // A loaded test machine can stretch a 20 ms gap past any short pause, so this test makes
        // the pause far longer than a stall: what it checks is that the pieces are joined. The
        // requests end at a newline or the half-close; the pause is step 9's.
        const { port } = await serverFor(t, LONG_PAUSE);
        await expectReplies([PYTHON], port, ["pyt", "hon\n"], { gapMs: PIECE_GAP_MS });
        await expectReplies([JAVA], port, ["j", "av", "a"], { gapMs: PIECE_GAP_MS });
        // Every split point, and one byte per write: the recv() sizes a reader may see.
        const request = "python\n";
        for (let at = 1; at < request.length; at += 1) {
          const pieces = [request.slice(0, at), request.slice(at)];
          const sent = `sent "${pieces.map(escaped).join('" then "')}"`;
          assert.deepEqual(await exchange(port, pieces, { gapMs: PIECE_GAP_MS }), [PYTHON], sent);
        }
        const oneByOne = Array.from(Buffer.from(request), (byte) => Buffer.from([byte]));
        assert.deepEqual(
          await exchange(port, oneByOne, { gapMs: 5 }),
          [PYTHON],
          "one byte at a time",
        );
      },
      {
        anyLanguage:
          "One recv() is not one request: keep the bytes that have arrived on this connection and add each recv()'s bytes to them until a newline, the half-close or a pause ends the request.",
        needs: { server: "behaviour" },
      },
    );

    step(
      "two clients sending in pieces at once: each connection gathers its own bytes",
      'Serve both clients at once, and keep the bytes gathered so far for each connection, not one buffer for all: here client A sends "pyt", client B, connected beside A, sends "java\\n" whole, and then A sends "hon\\n". A must get the Python reply and B the Java one.',
      async (t) => {
        const { port } = await serverFor(t, LONG_PAUSE);
        // Three rounds: a busy server may read B's bytes before A's "pyt" and so hide one buffer
        // for all, never the reverse; a correct server passes every round.
        for (const round of [1, 2, 3]) {
          const [replyToA, replyToB] = await onTime(async () => {
            const [a, b] = [await connected(port), await connected(port)];
            // A's request is in two pieces 40 ms apart, well within the shortest pause.
            const startedAt = performance.now();
            a.write("pyt");
            await delay(PIECE_GAP_MS);
            b.end("java\n");
            await delay(PIECE_GAP_MS);
            const late = performance.now() - startedAt > 2 * PIECE_GAP_MS + STALL_MS;
            a.end("hon\n");
            return { late, replies: Promise.all([readLines(a, 1), readLines(b, 1)]) };
          });
          const right = isDeepStrictEqual([replyToA, replyToB], [[PYTHON], [JAVA]]);
          const why = right ? "" : await whyNotTogether(port);
          const sent = `(round ${round}: A sent "pyt", B "java\\n", then A "hon\\n")${why}`;
          assert.deepEqual(replyToB, [JAVA], `the reply to client B ${sent}`);
          assert.deepEqual(replyToA, [PYTHON], `the reply to client A ${sent}`);
        }
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "pipelined requests, in one write or many, are answered in order",
      "One 'data' event may hold several requests: answer each, in order, and keep what follows the last newline for the next chunk.",
      async (t) => {
        const { port } = await serverFor(t, LONG_PAUSE);
        await expectReplies([PYTHON, JAVA, C, NOT_AVAILABLE], port, ["python\njava\nc\nC++\n"]);
        await expectReplies([C, PYTHON, JAVA], port, ["c\npy", "thon\nja", "va"], { gapMs: 10 });
      },
      {
        anyLanguage:
          "One recv() may hold several requests: answer each whole line, in order, and keep what follows the last newline for the next recv().",
        needs: { server: "behaviour" },
      },
    );

    step(
      "bytes that are not UTF-8 are an unknown course",
      "A request whose bytes are not UTF-8 names no course: reply that it is not available, and keep serving. Decoding must not throw, nor turn the bytes into a name that could match.",
      async (t) => {
        const { port } = await serverFor(t);
        await expectReplies([NOT_AVAILABLE], port, [Buffer.from([0xff, 0xfe, 0x70, 0x0a])]);
        await expectReplies([PYTHON], port, ["python\n"]);
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "a multi-byte character split across two writes still decodes",
      "Decode a request only once it is whole, never chunk by chunk: half a character decoded alone becomes a replacement character.",
      async (t) => {
        const catalog = writeCatalog({ café: "Coffee,Duration:1Week,Fee=5" });
        const { port } = await serverFor(t, ["--catalog", catalog, ...LONG_PAUSE]);
        const e = Buffer.from("é");
        const pieces = [
          Buffer.concat([Buffer.from("caf"), e.subarray(0, 1)]),
          Buffer.concat([e.subarray(1), Buffer.from("\n")]),
        ];
        // Three times, 100 ms apart: a busy server may read both pieces at once, which hides a
        // decoder that works chunk by chunk; a correct server passes either way.
        for (const attempt of [1, 2, 3]) {
          assert.deepEqual(
            await exchange(port, pieces, { gapMs: 100 }),
            ["Coffee,Duration:1Week,Fee=5"],
            `the server's reply to "caf" and the first byte of "é", then the rest (try ${attempt})`,
          );
        }
      },
      { needs: { server: "catalog" } },
    );

    step(
      "control characters in a request are logged escaped",
      "Log the course name escaped, so that a client cannot send control characters to the server's terminal (escapeText() in common/escape.ts does it).",
      async (t) => {
        const { server, port } = await serverFor(t);
        await exchange(port, ["\x1b]0;pwned\x07\x1b[2J\n"]);
        assert.match(
          await server.waitForLine(/asked for/),
          /"\\x1b\]0;pwned\\x07\\x1b\[2J": not found$/,
        );
      },
      { needs: { server: "log" } },
    );
  });

  describe("limits", { concurrency: 1 }, () => {
    step(
      "1,024 bytes is a request; 1,025 bytes gets one error line and is closed",
      "A request of more than 1,024 bytes, ended or not, gets the error line shown in README.md and the connection is closed.",
      async (t) => {
        const { port } = await serverFor(t);
        await expectReplies([NOT_AVAILABLE], port, [`${"x".repeat(1024)}\n`]);
        assert.deepEqual(
          await exchange(port, [`${"x".repeat(1024)}\r\n`]),
          [NOT_AVAILABLE],
          "the server's replies to 1,024 bytes ended by CRLF (the CR is not part of the request)",
        );
        const lines = await exchange(port, [`${"x".repeat(1025)}\n`]);
        assert.deepEqual(lines, ["error: a request may be at most 1024 bytes"]);
        const unended = await exchange(port, ["y".repeat(1025)], { halfClose: false });
        assert.deepEqual(unended, ["error: a request may be at most 1024 bytes"]);
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "1,025 bytes with no newline, the client still there: the error comes at once, not at a pause",
      "Check the size of the bytes still pending each time a piece arrives, not only when a request ends: a client that never ends its request would otherwise fill the server's memory before the error comes.",
      async (t) => {
        // With a 5 s pause, only a server that checks as the bytes arrive answers within 2 s.
        const { port } = await serverFor(t, LONG_PAUSE);
        const socket = await connected(port);
        for (const piece of ["y".repeat(600), "y".repeat(425)]) socket.write(piece);
        assert.deepEqual(
          await readLines(socket, 1, 2),
          ["error: a request may be at most 1024 bytes"],
          "the server's reply to 1,025 bytes with no newline, within 2 s",
        );
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "a silent client is closed after --idle-timeout",
      "Close a connection that has been silent for --idle-timeout, and log the line shown in README.md.",
      async (t) => {
        const { server, port } = await serverFor(t, ["--idle-timeout", "0.3"]);
        // From before connect(): the server may accept before this process sees 'connect'.
        const connectingAt = performance.now();
        const silent = connect({ host: "127.0.0.1", port });
        await once(silent, "close"); // The server closes it; the test's time limit catches a hang.
        const heldMs = performance.now() - connectingAt;
        assert.ok(heldMs >= 300, `closed after ${heldMs.toFixed(0)} ms, before the 0.3 s timeout`);
        assert.match(await server.waitForLine(/silent for/), /silent for 0\.3 s, closing$/);
      },
      { needs: { server: "idle-timeout" } },
    );

    step(
      "a client that keeps sending is never silent, however long it stays",
      "Count a connection's silence from the last bytes it sent, not from when it connected.",
      async (t) => {
        const { port } = await serverFor(t, ["--idle-timeout", "1"]);
        // Six requests 0.25 s apart: the connection lives 1.25 s, never 1 s silent.
        const requests = Array.from({ length: 6 }, () => "python\n");
        const answers = await exchange(port, requests, { gapMs: 250 });
        assert.deepEqual(
          answers,
          Array.from({ length: 6 }, () => PYTHON),
        );
      },
      { needs: { server: "idle-timeout" } },
    );

    step(
      "a silent client is held open while 50 other clients are answered",
      "Serve each connection as it arrives: never wait for one client before taking the next. Here one client connects and says nothing, then 50 others each send python and a newline, 8 connected at a time.",
      async (t) => {
        const { port } = await serverFor(t);
        const silent = connect({ host: "127.0.0.1", port });
        await once(silent, "connect");
        t.after(() => silent.destroy());
        const count = 50;
        const outcomes = await clientsInTurn(count, () => exchange(port, ["python\n"]));
        const reset = outcomes.filter(
          (outcome) => outcome.status === "rejected" && errorCode(outcome.reason) === "ECONNRESET",
        );
        if (reset.length > 0) throw new Error(queueOverflowed(reset.length, outcomes.length));
        const answers = outcomes.map((outcome) => {
          if (outcome.status === "rejected") throw outcome.reason;
          return outcome.value;
        });
        assert.deepEqual(
          answers,
          Array.from({ length: count }, () => [PYTHON]),
          `the replies to ${count} clients, ${CLIENTS_AT_ONCE} connected at a time`,
        );
        assert.equal(silent.destroyed, false);
      },
      { needs: { server: "behaviour" } },
    );

    step(
      "one client more than --max-connections gets server busy and is closed",
      "With --max-connections clients already connected, send the next one server busy and close it; once one leaves, serve new clients again.",
      async (t) => {
        const { port } = await serverFor(t, ["--max-connections", "2"]);
        const held = [connect({ host: "127.0.0.1", port }), connect({ host: "127.0.0.1", port })];
        t.after(() => {
          for (const socket of held) socket.destroy();
        });
        await Promise.all(held.map((socket) => once(socket, "connect")));
        // The server counts a connection once it has accepted it; wait until both are served.
        held[0]?.write("c\n");
        held[1]?.write("c\n");
        await Promise.all(held.map((socket) => once(socket, "data")));
        await expectReplies(["server busy"], port, ["python\n"]);
        held[0]?.destroy();
        await delayUntil(async () => (await exchange(port, ["python\n"]))[0] === PYTHON);
      },
      { needs: { server: "max-connections" } },
    );
  });

  describe("the catalog file", { concurrency: 1 }, () => {
    for (const [problem, contents, sentence] of [
      ["missing", undefined, /the file does not exist\.$/],
      ["not JSON", "{ python: ", /is not valid JSON: /],
      ["not an object", "[1, 2]", /is malformed: it must be a JSON object/],
      ["a reply that is not text", '{"python": 4000}', /is malformed at "python"/],
      ["a name given twice", '{"python": "a", "PYTHON": "b"}', /names "python" twice/],
    ] as const) {
      step(
        `${problem}: one sentence naming the file, exit 1`,
        "catalog.ts: loadCatalogOrExit() explains a bad catalog; it is written for you.",
        async () => {
          const file =
            contents === undefined
              ? join(tmpdir(), "no-such-catalog.json")
              : writeCatalog(contents);
          const server = await run("server.ts", ["--port", "0", "--catalog", file]);
          assert.equal(server.code, 1, "the server's exit code");
          assert.equal(server.stderr.length, 1, "how many error lines the server printed");
          assert.ok(server.stderr[0]?.includes(file), server.stderr[0]);
          assert.match(server.stderr[0] ?? "", sentence);
        },
        { needs: { server: "catalog" } },
      );
    }
  });

  describe("errors", { concurrency: 1 }, () => {
    step(
      "with no server running, the client says how to start one and exits 1",
      "When connecting fails, the client prints the sentence that says how to start the server (fail() in common/errors.ts) and exits with code 1.",
      async () => {
        const port = await freePort();
        const client = await run("client.ts", ["--host", "127.0.0.1", "--port", port, "python"]);
        assert.equal(client.code, 1, "the client's exit code");
        assert.match(
          client.stderr[0] ?? "",
          /^No server is running on 127\.0\.0\.1:\d+\. .*npm run lesson:3:server/,
        );
      },
      { needs: { client: "errors" } },
    );

    step(
      "a server that never answers hits --timeout: one sentence, exit 1",
      "The client waits for the reply for at most --timeout, then says so in one sentence and exits with code 1.",
      async (t) => {
        const mute = createServer(() => undefined).listen(0, "127.0.0.1");
        t.after(() => mute.close());
        await once(mute, "listening");
        const address = mute.address();
        const port = String(typeof address === "object" && address !== null ? address.port : 0);
        const client = await run("client.ts", [
          "--host",
          "127.0.0.1",
          "--port",
          port,
          "--timeout",
          "0.5",
          "c",
        ]);
        assert.equal(client.code, 1, "the client's exit code");
        assert.match(client.stderr[0] ?? "", /^No answer from 127\.0\.0\.1:\d+ in time/);
      },
      { needs: { client: "timeout" } },
    );

    step(
      "bad flags print what is wrong and the usage, exit 2",
      "flags.ts parses the flags; it is written for you.",
      async () => {
        const cases = [
          ["--bogus"],
          ["--port", "70000"],
          ["--port", "abc"],
          ["--idle-timeout", "-1"],
          ["--idle-timeout", "3000000"], // Past Node's timers' 24.8 days, it would run out at once.
          ["--max-connections", "0"],
        ];
        for (const args of cases) {
          const server = await run("server.ts", args);
          assert.equal(server.code, 2, args.join(" "));
          assert.ok(server.stderr.some((line) => line.startsWith("Usage:")));
        }
        const client = await run("client.ts", ["--timeout", "soon", "python"]);
        assert.equal(client.code, 2, "the client's exit code");
      },
      { needs: { server: "flags", client: "flags" } },
    );

    step(
      "Ctrl+C stops the server: a line, exit 0",
      "On Ctrl+C, stop listening, let each connection finish its request, print the stop line shown in README.md and exit with code 0.",
      async (t) => {
        const { server, port } = await serverFor(t);
        await expectReplies([PYTHON], port, ["python\n"]);
        server.child.kill("SIGINT");
        assert.equal(await server.exit(2_000), 0, "the server's exit code");
        assert.equal(
          server.stdout.at(-1),
          "Server stopped after answering 1 request(s); 0 connection(s) had to be cut off.",
        );
      },
      {
        skip: process.platform === "win32" && "Windows has no SIGINT to send to a child",
        needs: { server: "ctrl-c" },
      },
    );
  });
  describe("--trace: the wire", { concurrency: 1 }, () => {
    step(
      "the server shows the accept, each read, the half-close, the reply and the close, timed",
      "common/trace.ts does this for you once --trace is given: every server comes through listen() from common/listen.ts.",
      async (t) => {
        const { server, port } = await serverFor(t, ["--trace", ...LONG_PAUSE]);
        const socket = connect({ host: "127.0.0.1", port, allowHalfOpen: true });
        await once(socket, "connect");
        const from = `127.0.0.1:${socket.localPort ?? 0} `;
        socket.write("pyt");
        // Once the server has read "pyt", the rest cannot join it in one read, however busy the
        // machine: a fixed delay could be stretched until both arrive together.
        await server.waitForLine(/recv\(\): 3 bytes "pyt"$/);
        await delay(50);
        socket.end("hon\n");
        assert.deepEqual(await readLines(socket), [PYTHON], "the reply");
        // Only trace lines: the log line naming this client may come before or after them.
        const traced = new RegExp(`^trace \\| \\+\\d+\\.\\d{3}s ${from.replaceAll(".", "\\.")}`);
        await server.waitForLines(traced, 7);
        const events = server.stdout
          .filter((line) => traced.test(line))
          .map((line) => line.replace(/^trace \| \+\d+\.\d{3}s \S+ /, ""));
        assert.deepEqual(events, [
          "'connection' = accept()",
          `'data' = recv(): 3 bytes "pyt"`,
          `'data' = recv(): 4 bytes "hon\\n"`,
          `write() = send(): 42 bytes "${PYTHON}\\n"`,
          "'end' = the peer's shutdown(SHUT_WR): a FIN, it sends no more",
          "end() = shutdown(SHUT_WR): a FIN, we send no more",
          "'close' = close()",
        ]);
        const reset = connect({ host: "127.0.0.1", port });
        await once(reset, "connect");
        const resetFrom = `127\\.0\\.0\\.1:${reset.localPort ?? 0}`;
        // Reset once the server holds the connection: a reset before accept() is another story
        // (the races tests), told differently on each system.
        await server.waitForLine(new RegExp(`${resetFrom} 'connection'`));
        reset.resetAndDestroy();
        assert.match(
          await server.waitForLine(/'error' ECONNRESET/),
          new RegExp(`${resetFrom} 'error' ECONNRESET: a reset \\(RST\\) from the peer$`),
        );
      },
      { needs: { server: "trace" } },
    );

    step(
      "the client shows its connect, the 6 bytes of python, its half-close, the reply and the close",
      "client.ts: traceConnect(socket, where) right after connect(); common/trace.ts does the rest.",
      async (t) => {
        const { port } = await serverFor(t);
        const client = await run("client.ts", ["--port", String(port), "--trace", "python"]);
        assert.equal(client.code, 0, "the client's exit code");
        const events = client.stdout.map((line) =>
          line
            .replace(/^trace \| \+\d+\.\d{3}s localhost:\d+ /, "")
            .replace(/: from port \d+$/, ""),
        );
        assert.deepEqual(events, [
          "'connect' = connect()",
          'write() = send(): 6 bytes "python"',
          "end() = shutdown(SHUT_WR): a FIN, we send no more",
          `'data' = recv(): 42 bytes "${PYTHON}\\n"`,
          PYTHON,
          "'close' = close()",
        ]);
      },
      { needs: { client: "trace" } },
    );
  });
});

/** This run's catalog files, in one temporary folder that is removed when the steps end. */
const catalogs = temporaryFolder("catalogs");
let catalogsWritten = 0;

function writeCatalog(contents: string | Record<string, string>): string {
  catalogsWritten += 1;
  const file = join(catalogs, `catalog-${catalogsWritten}.json`);
  writeFileSync(file, typeof contents === "string" ? contents : JSON.stringify(contents));
  return file;
}

function hasScript(): boolean {
  return process.platform === "linux" && spawnSync("/usr/bin/script", ["--version"]).status === 0;
}

/** Retries a check until it passes, for state that settles asynchronously (5 s at most). */
async function delayUntil(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("the condition never became true");
    await delay(20);
  }
}

typeCheckStep();
