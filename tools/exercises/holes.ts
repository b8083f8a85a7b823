// What each hole of an exercise asks for: the lesson's own `// Python:` lines mark the holes
// (the statement right below them), and this table says, for each, what to do and which Node
// API does it. Keyed by the file and the first Python line of the block, or, where lessons
// share that line but not its meaning, by the lesson's number first ("4 server.ts ...").

/**
 * One hole and its hints. The TODO in the file says only `todo`: what to do, never the call.
 * `npm run hint` reveals the rest, one rung at a time: `plan` (in words only), then `what` (the
 * plan again, naming the helpers the lesson uses) with `api` and its `docs`, then the lesson's
 * own lines.
 */
export interface Hole {
  /** What to do, in words, with no call or helper named. */
  todo: string;
  /** The plan in words only: why and how, with no call, helper or code. */
  plan: string;
  /** The plan with the helpers and calls the lesson uses. */
  what: string;
  /** The Node API to use, as the docs name it, and its page. */
  api: string;
  docs: string;
}

const NET = "https://nodejs.org/api/net.html";
const DGRAM = "https://nodejs.org/api/dgram.html";
const EVENTS = "https://nodejs.org/api/events.html";
const CONSOLE = "https://nodejs.org/api/console.html#consolelogdata-args";

const createServer = {
  api: "net.createServer()",
  docs: `${NET}#netcreateserveroptions-connectionlistener`,
};
const print = { api: "console.log()", docs: CONSOLE };
/** Lessons 1 and 2 take one client, the same way. */
const firstConnection = {
  todo: "wait for the first client to connect; Ctrl+C may come first",
  plan: "The server listens on two addresses, so a client may arrive on either: wait until the first one arrives on any of them, and stop waiting if Ctrl+C comes first.",
  what: "wait for the first client with firstConnection(servers, stopped) from common/first-connection.ts; it gives undefined if Ctrl+C comes first",
  api: "net.Server 'connection' event",
  docs: `${NET}#event-connection`,
};
const tcpConnect = { api: "net.connect()", docs: `${NET}#netconnectoptions-connectlistener` };

export const holes: Record<string, Hole> = {
  "server.ts s=socket.socket()": {
    todo: "make a TCP server and start it listening on host and port, on both loopback addresses; if that fails, say why and stop",
    plan: "Make a TCP server and have it listen at the host and port from the flags, on both loopback addresses when no host is given. If the port cannot be had, say why in one sentence and stop.",
    what: "make a TCP server with createServer() and start it listening on host and port with listen() from common/listen.ts (it opens 127.0.0.1 and ::1); on failure, .catch(failAt(...)) from common/errors.ts",
    ...createServer,
  },
  "3 server.ts s=socket.socket()": {
    todo: "make `create`, a function that makes a TCP server which keeps its side open after a client half-closes and serves each connection as it arrives",
    plan: "Make a function that makes this lesson's server: a TCP server that keeps its own side open after a client half-closes (so the client still gets its reply), and that hands each new connection to the function that serves it.",
    what: "make `create`, a function that makes a TCP server with createServer({ allowHalfOpen: true }, ...) whose connection listener calls serve(socket, settings, options.maxConnections)",
    ...createServer,
  },
  'server.ts s.bind(("localhost",60))': {
    todo: "start listening on the host and port from the flags, with a backlog deep enough for a burst of clients; if that fails, say why and stop",
    plan: "Start listening at the host and port from the flags, with a queue of waiting clients deep enough for a burst of them. If the port cannot be had, say why in one sentence and stop.",
    what: "start listening on options.host and options.port with listen(create, host, port, backlog) from common/listen.ts, with a backlog of Math.max(511, options.maxConnections); on failure, .catch(failAt(...)) from common/errors.ts",
    api: "server.listen()",
    docs: `${NET}#serverlistenoptions-callback`,
  },
  'server.ts print("Server is running")': {
    todo: "print the seed's line, and where the server listens",
    plan: "Print the seed's ready line, followed by every address and port the server listens on.",
    what: "print the seed's line with where the server listens: Server is running on <addressesOf(servers)>",
    ...print,
  },
  'server.ts print("Server is Running")': {
    todo: "print the seed's line, and where the server listens",
    plan: "Print the seed's ready line, followed by every address and port the server listens on.",
    what: "print the seed's line with where the server listens: Server is Running on <addressesOf(servers)>",
    ...print,
  },
  "server.ts cs=s.accept()": firstConnection,
  "server.ts sc,add=s.accept()": firstConnection, // Lesson 2 spells it differently.
  'server.ts print("Connection accepted")': {
    todo: "print the seed's line, and who connected",
    plan: "Print the seed's line, followed by the address and port the client connected from.",
    what: "print Connection accepted from <clientName(socket)>",
    ...print,
  },
  'server.ts msg="Hello Client"': {
    todo: "send the 12 bytes Hello Client, then close your side of the connection",
    plan: "Send the twelve bytes of the greeting, and then end your side of the stream: the end is how the client knows the greeting is whole.",
    what: 'send the bytes "Hello Client" and close your side of the connection, in one call',
    api: "socket.end()",
    docs: `${NET}#socketenddata-encoding-callback`,
  },
  // Lesson 2's client reads until the server ends: without a time limit, a server that never
  // does would hold it forever (step 5 checks --timeout), so the hole asks for one.
  "2 client.ts s=socket.socket()": {
    todo: "connect to host and port, with a time limit of timeoutMs on everything the socket does, so that a server that never ends its message cannot hold the client forever",
    plan: "Connect to the server's host and port, and give the connection a time limit that covers connecting and every read, so that a server that never ends its message cannot keep the client waiting forever.",
    what: "connect to host and port, with a time limit of timeoutMs milliseconds on everything the socket does (connecting and every read), so that a server that never ends its message cannot hold the client forever",
    api: "net.connect(), AbortSignal.timeout() and stream.addAbortSignal()",
    docs: "https://nodejs.org/api/stream.html#streamaddabortsignalsignal-stream",
  },
  "client.ts s=socket.socket()": {
    todo: "connect to host and port",
    plan: "Connect to the server's host and port: this makes the socket and starts TCP's handshake.",
    what: "connect to host and port: this makes the socket and starts TCP's handshake",
    ...tcpConnect,
  },
  "client.ts data=s.recv(1024)": {
    todo: "read everything the server sends, until it closes its side",
    plan: "Read everything the server sends, piece by piece, until it ends its side of the stream; only then is the message whole.",
    what: "read everything the server sends until it closes its side (readUntilClose(), below, does it), as data",
    api: "socket 'data' and 'end' events (for await over the socket)",
    docs: `${NET}#event-data`,
  },
  "client.ts print(data.decode())": {
    todo: "decode what arrived as UTF-8 and print it, with control characters escaped",
    plan: "Turn the bytes into text as UTF-8, all at once, and print it with any control characters shown as text rather than obeyed.",
    what: "decode data as UTF-8 and print it, escaped with escapeText() from common/escape.ts",
    ...print,
  },
  "server.ts while True:": {
    todo: "there is no loop to write: Node serves each connection as it arrives; wait here until Ctrl+C",
    plan: "There is no loop to write: Node serves each connection as it arrives. All that is left here is to wait until Ctrl+C.",
    what: "there is no loop to write: Node calls serve() for each connection. Wait here until Ctrl+C, for the 'abort' event of stopped",
    api: "events.once()",
    docs: `${EVENTS}#eventsonceemitter-name-options`,
  },
  "4 server.ts while True:": {
    todo: "there is no loop and no recvfrom to write: have each socket hand every datagram it receives, with its sender, to receive, the function below, and log its errors",
    plan: "There is no loop to write: have each socket hand every datagram it receives, with its sender, to the function below, and have it report its errors.",
    what: "there is no loop and no recvfrom(): for each socket, run receive() on its 'message' event (one whole datagram and its sender each time), and log its 'error' events",
    api: "dgram socket 'message' event",
    docs: `${DGRAM}#event-message`,
  },
  "server.ts cs,add=s.accept()": {
    todo: "name the client by its address and port, once",
    plan: "Work out once who this client is, by its address and port, to name it in the log.",
    what: "read the accepted client's address once, with clientName(socket) from common/address.ts",
    api: "socket.remoteAddress",
    docs: `${NET}#socketremoteaddress`,
  },
  "server.ts b=cs.recv(1024)": {
    todo: "hand every piece of data the client sends to its connection, which finds where each request ends",
    plan: "Each time a piece of data arrives from the client, hand it to this client's connection, which works out where each request ends.",
    what: "on each 'data' event of the socket, hand the chunk to connection.receive(); it finds where each request ends",
    api: "socket 'data' event",
    docs: `${NET}#event-data`,
  },
  "server.ts course=b.decode()": {
    todo: "decode the request's bytes as UTF-8; bytes that are not UTF-8 name no course",
    plan: "Turn the request's bytes into text as UTF-8; bytes that are not UTF-8 name no course.",
    what: "decode the request's bytes as UTF-8 with decodeCourse() from catalog.ts (undefined if they are not UTF-8)",
    api: "TextDecoder",
    docs: "https://nodejs.org/api/util.html#class-utiltextdecoder",
  },
  'server.ts if course=="python": ... elif course=="java": ... else:': {
    todo: "look the course up in the catalog, ignoring case and surrounding spaces",
    plan: "Find the course in the catalog, ignoring case and the spaces around the name; no name means no course.",
    what: "look the course up: catalog.get(normalizeCourse(course)), or undefined when course is undefined",
    api: "Map.prototype.get()",
    docs: "https://developer.mozilla.org/docs/Web/JavaScript/Reference/Global_Objects/Map/get",
  },
  "server.ts cs.send('CourseName:Python,Duration:1Year,Fee=4000'.encode())": {
    todo: "reply with the course's line, or that it is not available, and a newline",
    plan: "Send the course's line, or the seed's not-available sentence, and end it with a newline so that the client knows where the reply ends.",
    what: "send the reply, or NOT_AVAILABLE, followed by a newline, with connection.send() (it holds back reading while the client does not read)",
    api: "socket.write()",
    docs: `${NET}#socketwritedata-encoding-callback`,
  },
  'client.ts name=input("CourseName:")': {
    todo: "take the course name from the command line, else ask for it as the seed does",
    plan: "Take the course name from the command line if one was given; otherwise ask for it, as the seed does.",
    what: "take the course name from the command line (given.course), else ask for it with readCourseName() from flags.ts",
    api: "readline question()",
    docs: "https://nodejs.org/api/readline.html#rlquestionquery-options",
  },
  "client.ts s.send(name.encode())": {
    todo: "send exactly the name's bytes, then half-close: that is the whole request",
    plan: "Send exactly the bytes of the name, then end your side of the stream: that says the request is whole, while you can still read the reply.",
    what: "send exactly the course name's bytes and half-close: end() says 'that is my whole request'",
    api: "socket.end()",
    docs: `${NET}#socketenddata-encoding-callback`,
  },
  "client.ts b=s.recv(1024)": {
    todo: "wait for the whole reply, within the time limit",
    plan: "Wait until the whole reply has arrived, however many pieces it comes in, within the time limit.",
    what: "wait for the whole reply with readReply() from framing.ts",
    api: "socket 'data' event",
    docs: `${NET}#event-data`,
  },
  "client.ts print(d)": {
    todo: "print the reply as text, with control characters escaped",
    plan: "Print the reply as UTF-8 text, with any control characters shown as text rather than obeyed.",
    what: "print the reply as UTF-8 text, escaped with escapeText() from common/escape.ts",
    ...print,
  },
  "server.ts s=socket.socket(type=socket.SOCK_DGRAM)": {
    todo: "bind UDP sockets to host and port, on both loopback addresses; if that fails, say why and stop",
    plan: "Make UDP sockets at the host and port from the flags, on both loopback addresses when no host is given. If the port cannot be had, say why in one sentence and stop.",
    what: "bind UDP sockets on host and port with bind() from common/bind.ts (it binds 127.0.0.1 and ::1); on failure, .catch(failAt(...)) from common/errors.ts",
    api: "dgram.createSocket() and socket.bind()",
    docs: `${DGRAM}#socketbindoptions-callback`,
  },
  "server.ts print(b.decode(),add)": {
    todo: "print the datagram's text, then from and its sender",
    plan: "Print the datagram's text as the lesson shows it, then the word from and who sent it.",
    what: "print the datagram's text, shown with describeDatagram(message, data.length), then from and the sender",
    ...print,
  },
  "client.ts s=socket.socket(type=socket.SOCK_DGRAM)": {
    todo: "make a UDP socket of the family the host resolved to, with room for the largest datagram",
    plan: "Make a UDP socket of the same family as the address the host name gave, IPv6 or IPv4, with a send buffer large enough for the largest datagram.",
    what: 'make a UDP socket of the family the host resolved to ("udp6" for family 6, else "udp4"), with room for the largest datagram: sendBufferSize SEND_BUFFER_BYTES from common/send.ts',
    api: "dgram.createSocket()",
    docs: `${DGRAM}#dgramcreatesocketoptions-callback`,
  },
  "client.ts s.bind(('localhost',80))": {
    todo: "bind the socket to any free port",
    plan: "Give the socket any free port of its own, on every address of its family.",
    what: 'bind the socket to port 0 (any free port) on "::" for family 6, else "0.0.0.0"',
    api: "socket.bind()",
    docs: `${DGRAM}#socketbindoptions-callback`,
  },
  "client.ts s.sendto(b'Happy Birth Day Server',('localhost',60))": {
    todo: "send the message as one datagram to the receiver's address and port, and wait for it to leave",
    plan: "Send the whole message as one datagram to the receiver's address and port, and wait until it has left.",
    what: "send the message as one datagram to address and port, with send() from common/send.ts, and wait for it to leave",
    api: "socket.send()",
    docs: `${DGRAM}#socketsendmsg-offset-length-port-address-callback`,
  },
};

/**
 * The second level (`--level 2`) also fades what the lesson is about: each unit below keeps its
 * doc comment, which is its contract, and loses its body, which the student writes.
 */
export interface Faded extends Hole {
  file: string;
  /** A function's name, or a method's as Class.method. */
  unit: string;
}

export const fadedAtLevel2: Record<number, Faded[]> = {
  1: [
    {
      file: "common/first-connection.ts",
      unit: "firstConnection",
      todo: "wait for the first connection on any of the servers, as the comment above says",
      api: "events.once() with a signal, and AbortSignal.any()",
      docs: "https://nodejs.org/api/events.html#eventsonceemitter-name-options",
      plan: "Wait until a client connects to any of the servers, and give that connection. If Ctrl+C comes first, give nothing. Either way, stop waiting on the other servers.",
      what: "wait for the first 'connection' event on any of the servers and give its socket; give undefined if `stopped` fires first, and stop waiting on the other servers either way",
    },
  ],
  2: [
    {
      file: "client.ts",
      unit: "readUntilClose",
      todo: "gather every piece until the peer ends the stream, as the comment above says",
      api: "for await over a readable stream",
      docs: "https://nodejs.org/api/stream.html#readablesymbolasynciterator",
      plan: "Collect every piece of data as it arrives, until the peer ends the stream, and give them all joined together.",
      what: "gather every piece the socket delivers until the peer ends the stream, and give them joined in one Buffer",
    },
  ],
  3: [
    {
      file: "framing.ts",
      unit: "MessageSplitter.push",
      todo: "gather this connection's bytes into messages, as the comment above says",
      api: "buf.indexOf(), Buffer.concat() and buf.subarray()",
      docs: "https://nodejs.org/api/buffer.html#bufindexofvalue-byteoffset-encoding",
      plan: "Add the new piece to what this connection already holds. Every newline ends a message: pass each one on. Keep what comes after the last newline for the next piece; if it is already longer than the limit, stop and say the request is too long; otherwise start waiting for a pause.",
      what: "add the chunk to this connection's pending bytes; give every message that a newline ends to emit(), LF or CRLF; keep what follows the last newline in this.pending; if that is longer than limits.maxBytes, stop() and tell the handler onTooLong(); otherwise waitForPause()",
    },
    {
      file: "framing.ts",
      unit: "MessageSplitter.end",
      todo: "the stream ended: what is pending is the last message",
      api: "socket 'end' event",
      docs: "https://nodejs.org/api/net.html#event-end",
      plan: "The client ended its side of the stream: unless this connection has stopped, whatever it still holds is the last message, so pass it on.",
      what: "the stream ended: unless stopped, whatever is pending is the last message (flush())",
    },
  ],
  4: [
    {
      file: "server.ts",
      unit: "receive",
      todo: "handle one datagram, as the comment above says",
      api: "dgram socket 'message' event and TextDecoder",
      docs: "https://nodejs.org/api/dgram.html#event-message",
      plan: "Count the datagram and who sent it, and turn its bytes into text without failing on bad UTF-8. A numbered datagram is counted into its sender's burst; any other is printed with its sender.",
      what: "count the datagram and its sender; decode it (not fatally); a numbered one goes to bursts.count(), any other is printed as describeDatagram(text, bytes) from <sender>",
    },
  ],
};
