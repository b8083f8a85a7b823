// Plausible student mistakes, each a small patch of a lesson's own code, and the step that must
// catch it. tools/test/exercises.test.ts applies each to a solved exercise and checks that the
// first failing step is that one, so the tests keep naming these mistakes.

export interface Mistake {
  lesson: number;
  name: string;
  file: string;
  /** The lesson's text that the mistake replaces, and what it writes instead. */
  from: string;
  to: string;
  /** The first step that fails. */
  failsAt: RegExp;
}

export const mistakes: Mistake[] = [
  {
    lesson: 1,
    name: "listening on IPv4 only",
    file: "server.ts",
    from: "listen(() => createServer(), host, port)",
    to: 'listen(() => createServer(), host ?? "127.0.0.1", port)',
    failsAt: /the server listens and says where/,
  },
  {
    lesson: 2,
    name: "reading once, as if one recv() were one message",
    file: "client.ts",
    from: "for await (const piece of socket) pieces.push(piece as Buffer);",
    to: "for await (const piece of socket) {\n      pieces.push(piece as Buffer);\n      break;\n    }",
    failsAt: /arrives in two pieces/,
  },
  {
    lesson: 2,
    name: "write() without end(): the bytes go, the end of the stream never does",
    file: "server.ts",
    from: 'socket.end("Hello Client");',
    to: 'socket.write("Hello Client");',
    failsAt: /sends exactly the bytes Hello Client, with no newline, then ends the stream/,
  },
  {
    lesson: 3,
    name: "replying per chunk, as if one recv() were one request",
    file: "framing.ts",
    from: "    this.waitForPause();\n  }",
    to: "    this.flush();\n  }",
    failsAt: /a request split across writes 20 ms apart is one request/,
  },
  {
    lesson: 3,
    name: "decoding chunk by chunk",
    file: "server.ts",
    from: "connection.receive(chunk);",
    to: "connection.receive(Buffer.from(chunk.toString()));",
    // Each chunk decoded alone turns what is not UTF-8 yet (bad bytes, half a character) into
    // U+FFFD: the first step to see it is whichever decoding step comes first.
    failsAt: /bytes that are not UTF-8 are an unknown course|multi-byte character split/,
  },
  {
    lesson: 3,
    name: "a reply without its newline",
    file: "server.ts",
    from: "connection.send(`${reply ?? NOT_AVAILABLE}\\n`);",
    to: "connection.send(reply ?? NOT_AVAILABLE);",
    failsAt: /the seed's text and a newline, byte for byte/,
  },
  {
    lesson: 3,
    name: "serving one client at a time",
    file: "server.ts",
    from: "serve(socket, settings, options.maxConnections);",
    to: "serve(socket, settings, 1);",
    // The second client is turned away ("server busy") while the first has a request pending.
    failsAt: /each connection gathers its own bytes/,
  },
  {
    lesson: 3,
    name: "one buffer shared by all connections",
    file: "framing.ts",
    from: "  private pending = EMPTY;",
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
  },
  {
    lesson: 3,
    name: "a client that never half-closes",
    file: "client.ts",
    from: "socket.end(course);",
    to: "socket.write(course);",
    failsAt: /then half-closes/,
  },
  {
    lesson: 4,
    name: "a UDP sender that never closes its socket",
    file: "client.ts",
    from: "  } finally {\n    socket.close();",
    to: "  } finally {",
    failsAt: /the birthday message/,
  },
  {
    lesson: 4,
    name: "a UDP receiver that never binds",
    file: "common/bind.ts",
    from: "socket.bind({ address, port, exclusive: true });",
    to: "",
    failsAt: /the birthday message/,
  },
];
