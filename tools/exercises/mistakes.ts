// Plausible student mistakes, each a small patch of a lesson's own code, and the step that must
// catch it. tools/test/exercises.test.ts applies each to a solved exercise and checks that the
// first failing step is that one, so the tests keep naming these mistakes.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { lessonNumbered } from "../src/lib/lessons.ts";

export interface Mistake {
  lesson: number;
  name: string;
  /** The program it is made in: the lesson's own code, or the correct one of another shape. */
  program?: "another shape";
  file: string;
  /** The text that the mistake replaces, and what it writes instead (and a second such edit). */
  from: string;
  to: string;
  and?: { from: string; to: string };
  /** What the failed step's diagram (failed-step-N.md) must show of the exchange. */
  draws?: RegExp;
  /** The first step that fails. */
  failsAt: RegExp;
  /** Words the verdict must say: the hint that names the mistake. */
  says: RegExp;
}

/** Correct programs of another shape than the lesson's, by lesson: each must pass every step. */
export const anotherShape: Record<number, { file: string; source: string }> = {
  3: { file: "server.ts", source: "tools/exercises/another-shape/03-server.ts" },
};

export const mistakes: Mistake[] = [
  {
    lesson: 3,
    name: "a type error: the pending bytes typed by their first value, Buffer.alloc(0)",
    file: "framing.ts",
    from: "  private pending: Buffer = EMPTY;",
    to: "  private pending = Buffer.alloc(0);",
    // The program still runs (types are stripped, not checked); only the type step fails.
    failsAt: /the types: TypeScript finds no error/,
    says: /framing\.ts line \d+: Type 'Buffer<ArrayBufferLike>' is not assignable to type 'Buffer<ArrayBuffer>'/,
  },
  {
    lesson: 1,
    name: "listening on IPv4 only",
    file: "server.ts",
    from: "listen(() => createServer(), host, port)",
    to: 'listen(() => createServer(), host ?? "127.0.0.1", port)',
    failsAt: /the server listens and says where/,
    says: /both loopback addresses, 127\.0\.0\.1 and ::1/,
  },
  {
    lesson: 1,
    name: "waiting for the first client on the first address only",
    file: "server.ts",
    from: "firstConnection(servers, stopped)",
    to: "firstConnection(servers.slice(0, 1), stopped)",
    failsAt: /the server also answers on IPv6 loopback/,
    says: /must wait for the first client on both, not on the first address only/,
  },
  {
    lesson: 1,
    name: "Ctrl+C ignored while waiting for the first client",
    file: "server.ts",
    from: "firstConnection(servers, stopped)",
    to: "firstConnection(servers, new AbortController().signal)",
    failsAt: /Ctrl\+C stops a waiting server/,
    says: /The test pressed Ctrl\+C while server\.ts waited for a client, and it did not exit/,
  },
  {
    lesson: 2,
    name: "reading once, as if one recv() were one message",
    file: "client.ts",
    from: "for await (const piece of socket) pieces.push(piece as Buffer);",
    to: "for await (const piece of socket) {\n      pieces.push(piece as Buffer);\n      break;\n    }",
    failsAt: /arrives in two pieces/,
    says: /gather every piece until the end/,
  },
  {
    lesson: 2,
    name: "each piece decoded on its own",
    file: "client.ts",
    from: "for await (const piece of socket) pieces.push(piece as Buffer);\n  return Buffer.concat(pieces);",
    to: 'let text = "";\n  for await (const piece of socket) text += (piece as Buffer).toString("utf8");\n  return Buffer.from(text);',
    failsAt: /a character split across two pieces/,
    says: /received "Hello caf\uFFFD\uFFFD"[\s\S]*half a character decoded alone/,
  },
  {
    lesson: 2,
    name: "write() without end(): the bytes go, the end of the stream never does",
    file: "server.ts",
    from: 'socket.end("Hello Client");',
    to: 'socket.write("Hello Client");',
    failsAt: /sends exactly the bytes Hello Client, with no newline, then ends the stream/,
    says: /then did not end the stream[\s\S]*A write alone sends the bytes but never ends/,
  },
  {
    lesson: 2,
    name: "a newline after Hello Client",
    file: "server.ts",
    from: 'socket.end("Hello Client");',
    to: 'socket.end("Hello Client\\n");',
    failsAt: /sends exactly the bytes Hello Client, with no newline/,
    // The bytes on the wire, escaped once, counted as they are: not the client's escaped print.
    says: /received "Hello Client\\n" \(13 bytes\)/,
  },
  {
    lesson: 3,
    name: "replying per chunk, as if one recv() were one request",
    file: "framing.ts",
    from: "    this.waitForPause();\n  }",
    to: "    this.flush();\n  }",
    failsAt: /a request split across writes 20 ms apart/,
    says: /keep the bytes that have arrived and add each new chunk/,
  },
  {
    lesson: 3,
    name: "decoding chunk by chunk",
    file: "server.ts",
    from: "connection.receive(chunk);",
    to: "connection.receive(Buffer.from(chunk.toString()));",
    // Each chunk decoded alone turns half a character into U+FFFD. Bytes that are not UTF-8
    // become U+FFFD either way, an unknown course, so that step cannot tell.
    failsAt: /multi-byte character split/,
    says: /never chunk by chunk/,
  },
  {
    lesson: 3,
    name: "a reply without its newline",
    file: "server.ts",
    from: "connection.send(`${reply ?? NOT_AVAILABLE}\\n`);",
    to: "connection.send(reply ?? NOT_AVAILABLE);",
    failsAt: /the seed's text and a newline, byte for byte/,
    says: /followed by a newline/,
  },
  {
    lesson: 3,
    name: "an unknown course taken as found (reply!): the server crashes on it",
    file: "server.ts",
    from: "connection.send(`${reply ?? NOT_AVAILABLE}\\n`);",
    to: "connection.send(`${reply!.trim()}\\n`);",
    failsAt: /python, c and C\+\+, by argument/,
    // Where it crashed, in the .ts file the student wrote: its line, not the build's.
    says: new RegExp(
      `server\\.ts:${lineOf(3, "server.ts", "reply ?? NOT_AVAILABLE")}\\n.*` +
        "TypeError: Cannot read properties of undefined \\(reading 'trim'\\)",
    ),
  },
  {
    lesson: 3,
    name: "serving one client at a time",
    file: "server.ts",
    from: "serve(socket, settings, options.maxConnections);",
    to: "serve(socket, settings, 1);",
    // The second client is turned away ("server busy") while the first has a request pending.
    failsAt: /each connection gathers its own bytes/,
    says: /Serve both clients at once/,
  },
  {
    lesson: 3,
    name: "the CR of a CRLF kept on the request",
    file: "framing.ts",
    from: "const length = contentLength(bytes);",
    to: "const length = bytes.length;",
    failsAt: /then logs one line per request/,
    says: /asked for \\" {2}JaVa \\\\r\\": found[\s\S]*drop the CR of a CRLF/,
  },
  {
    lesson: 3,
    name: "no size check on the bytes still pending, only on a whole request",
    file: "framing.ts",
    from: "    if (contentLength(this.pending) > this.limits.maxBytes) {\n      this.stop();\n      this.handler.onTooLong();\n      return;\n    }\n    this.waitForPause();",
    to: "    this.waitForPause();",
    failsAt: /1,025 bytes with no newline, the client still there/,
    says: /No reply within 2 s[\s\S]*each time a piece arrives/,
  },
  {
    lesson: 3,
    name: "saying it listens on [::1] while listening on 127.0.0.1 only",
    file: "server.ts",
    from: "    options.host,\n    options.port,",
    to: '    options.host ?? "127.0.0.1",\n    options.port,',
    and: {
      from: "console.log(`Server is running on ${addressesOf(servers)}`);",
      to: 'console.log(`Server is running on ${addressesOf(servers)} and [::1]:${addressesOf(servers).split(":").at(-1) ?? ""}`);',
    },
    failsAt: /python, c and C\+\+, by argument/,
    says: /could not connect to \[::1\]:\d+: nothing is listening there[\s\S]*listens on both loopback addresses/,
    // The failed step's picture: the connection to ::1, refused.
    draws:
      /create participant C\d+ as the step's connection \d+\n {4}destroy C\d+\n {4}S-xC\d+: RST: connect\(\) refused/,
  },
  {
    lesson: 3,
    name: "end() left empty: a request ended by a half-close is never answered",
    file: "framing.ts",
    from: "  end(): void {\n    if (!this.stopped) this.flush();\n  }",
    to: "  end(): void {}",
    failsAt: /python, c and C\+\+, by argument/,
    // The client's own sentence says why its output is empty.
    says: /client\.ts said on its error stream: The server at localhost:\d+ closed the connection without replying/,
  },
  {
    lesson: 3,
    name: "one buffer shared by all connections",
    file: "framing.ts",
    from: "  private pending: Buffer = EMPTY;",
    // What a hand-written server does with a module-level `let pending = Buffer.alloc(0)`.
    to: [
      "  private get pending(): Buffer {",
      "    return (globalThis as { pending?: Buffer }).pending ?? EMPTY;",
      "  }",
      "  private set pending(bytes: Buffer) {",
      "    (globalThis as { pending?: Buffer }).pending = bytes;",
      "  }",
    ].join("\n"),
    failsAt: /each connection gathers its own bytes/,
    // Client A's "pyt", then client B's whole request, each on its own lifeline.
    draws:
      /C1->>S: 3 bytes "pyt"[\s\S]*C2->>S: 5 bytes "java\\n"[\s\S]*S->>C2: 29 bytes "this course is not available\\n"/,
    says: /Sent again one client after the other, each got its reply[\s\S]*for each connection, not one buffer for all/,
  },
  {
    lesson: 3,
    name: "a client that never half-closes",
    file: "client.ts",
    from: "socket.end(course);",
    to: "socket.write(course);",
    failsAt: /then half-closes/,
    says: /half-closes its side \(end, not write\)/,
  },
  {
    lesson: 4,
    name: "a UDP sender that never closes its socket",
    file: "client.ts",
    from: "  } finally {\n    socket.close();",
    to: "  } finally {",
    failsAt: /the birthday message/,
    says: /closes its socket: an open UDP socket keeps a program running/,
  },
  {
    lesson: 4,
    name: "a UDP receiver that never binds",
    file: "common/bind.ts",
    from: "socket.bind({ address, port, exclusive: true });",
    to: "",
    failsAt: /the birthday message/,
    says: /binds a UDP socket to its port/,
  },
  // The same mistakes as a student makes them in a server of their own (node:net, one closure
  // per connection): the steps must catch a mistake however the program is written.
  {
    lesson: 3,
    program: "another shape",
    name: "one buffer for all connections, at the top of the file",
    file: "server.ts",
    from: "  let buffer = Buffer.alloc(0); // This connection's bytes that are not a whole request yet.\n",
    to: "",
    and: { from: "let answered = 0;", to: "let answered = 0;\nlet buffer = Buffer.alloc(0);" },
    failsAt: /each connection gathers its own bytes/,
    says: /for each connection, not one buffer for all/,
  },
  {
    lesson: 3,
    program: "another shape",
    name: "keeping only the latest chunk",
    file: "server.ts",
    from: "buffer = Buffer.concat([buffer, chunk]);",
    to: "buffer = chunk;",
    failsAt: /a request split across writes/,
    says: /keep the bytes that have arrived and add each new chunk/,
  },
  {
    lesson: 3,
    program: "another shape",
    name: "decoding each chunk as it arrives",
    file: "server.ts",
    from: "buffer = Buffer.concat([buffer, chunk]);",
    to: "buffer = Buffer.concat([buffer, Buffer.from(chunk.toString())]);",
    failsAt: /multi-byte character split/,
    says: /never chunk by chunk/,
  },
  {
    lesson: 3,
    program: "another shape",
    name: "listening on IPv4 only",
    file: "server.ts",
    from: "  options.host,\n  options.port,\n)",
    to: '  options.host ?? "127.0.0.1",\n  options.port,\n)',
    failsAt: /python, c and C\+\+, by argument/,
    says: /both loopback addresses/,
  },
];

/** The line of lesson `lesson`'s `file` on which `text` first stands. */
function lineOf(lesson: number, file: string, text: string): number {
  const lines = readFileSync(join(lessonNumbered(lesson).folder, file), "utf8").split("\n");
  return lines.findIndex((line) => line.includes(text)) + 1;
}
