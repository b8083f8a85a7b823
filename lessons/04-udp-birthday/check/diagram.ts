// A run's --trace lines as a picture: a Mermaid sequence diagram, which GitHub and GitLab draw from
// a Markdown file (VS Code's preview does with an extension; its own preview shows the text). Lifelines are the programs and, for TCP, each
// connection the server accepted; each arrow is one thing that went over the wire, with its
// bytes and its time. `npm run trace` (trace-run.ts) writes one for a run of this lesson.

/** One line of --trace, read back: `trace | +4.083s 127.0.0.1:44484 'data' = recv(): 3 bytes "pyt"`. */
export interface WireEvent {
  /** Seconds since the program that traced it started. */
  at: number;
  /** The other end, as the trace names it: a client's address, or the server's. */
  peer: string;
  kind: (typeof KINDS)[keyof typeof KINDS] | "our reset" | "refused";
  /** The bytes, as the trace shows them (escaped, long ones cut), with their count. */
  bytes?: string;
}

/** The trace's words for each event (common/trace.ts), and what each is on the wire. */
const KINDS = {
  "'connection' = accept()": "accepted",
  "'connect' = connect()": "connected",
  "'data' = recv()": "received",
  "write() = send()": "sent",
  "'end' = the peer's shutdown(SHUT_WR)": "their FIN",
  "end() = shutdown(SHUT_WR)": "our FIN",
  "'error' ECONNRESET": "reset",
  "'close' = close()": "closed",
  "'message' = recvfrom()": "datagram received",
  "send() = sendto()": "datagram sent",
} as const;

const LINE = /^trace \| \+(\d+\.\d+)s (\S+) (.+?)(?:: (\d+ bytes? .*|0 bytes \(empty\)|.*))?$/;

/** The events in a program's output, in order; its other lines are not the wire's. */
export function wireEvents(output: string[]): WireEvent[] {
  return output.flatMap((line) => {
    const [, at = "0", peer = "", event = "", detail = ""] = LINE.exec(line) ?? [];
    const key = Object.keys(KINDS).find((words) => event.startsWith(words));
    if (key === undefined) return [];
    const kind = KINDS[key as keyof typeof KINDS];
    const carries = kind === "received" || kind === "sent" || kind.startsWith("datagram");
    return [{ at: Number(at), peer, kind, ...(carries ? { bytes: detail } : {}) }];
  });
}

/** Who the lifelines are: the program whose events these are, and each of its peers. */
export interface Lifelines {
  program: string;
  peer: (address: string) => string;
}

const SERVER_TRACE: Lifelines = { program: "server.ts", peer: (address) => `client ${address}` };

/**
 * A TCP program's run, as its own events saw it: its lifeline, and one per connection, created
 * as it connects and destroyed as it closes, side by side in the order they came, so that clients
 * at once can be seen at once. `program` is the side whose events these are (a server's trace,
 * or a step's sockets seen from the program they talk to).
 */
export function tcpDiagram(events: WireEvent[], lifelines: Lifelines = SERVER_TRACE): string {
  const opened = events.filter((e) => ["accepted", "connected", "refused"].includes(e.kind));
  const peers = [...new Set(opened.map((e) => e.peer))];
  const id = (peer: string) => `C${peers.indexOf(peer) + 1}`;
  // Each connection's lifeline ends at its last arrow before it closed (Mermaid's destroy).
  const lastArrow = new Map<string, WireEvent>();
  const closedAt = new Map<string, number>();
  for (const event of events) {
    if (!peers.includes(event.peer) || closedAt.has(event.peer)) continue;
    if (event.kind === "closed") closedAt.set(event.peer, event.at);
    else if (ARROWS[event.kind] !== undefined) lastArrow.set(event.peer, event);
  }
  const lines = ["sequenceDiagram", `    participant S as ${text(lifelines.program)}`];
  for (const event of events) {
    const arrow = ARROWS[event.kind];
    if (!peers.includes(event.peer) || arrow === undefined) continue;
    const peer = id(event.peer);
    if (event === opened.find((e) => e.peer === event.peer)) {
      lines.push(`    create participant ${peer} as ${text(lifelines.peer(event.peer))}`);
    }
    // A reset ends a connection at once, whether or not its close came before the drawing.
    const closed = closedAt.get(event.peer);
    const ends = closed !== undefined || ["reset", "our reset", "refused"].includes(event.kind);
    const last = lastArrow.get(event.peer) === event && ends;
    if (last) lines.push(`    destroy ${peer}`);
    const [from, to] = arrow.fromPeer ? [peer, "S"] : ["S", peer];
    const label = event.bytes === undefined ? arrow.label : text(event.bytes);
    const end = last && closed !== undefined ? `, then closed ${seconds(closed)}` : "";
    lines.push(`    ${from}${arrow.line}${to}: ${label} ${seconds(event.at)}${end}`);
  }
  return `${lines.join("\n")}\n`;
}

/** How each TCP event is drawn, seen from the program: who sent it, the arrow, its words. */
const ARROWS: Partial<
  Record<WireEvent["kind"], { fromPeer: boolean; line: string; label: string }>
> = {
  // Mermaid creates a lifeline with a message to it: accept() hands the server the connection.
  accepted: { fromPeer: false, line: "-->>", label: "accept(): the client's SYN, answered" },
  connected: { fromPeer: false, line: "->>", label: "connect(): SYN, answered" },
  received: { fromPeer: true, line: "->>", label: "" },
  sent: { fromPeer: false, line: "->>", label: "" },
  "their FIN": { fromPeer: true, line: "-)", label: "FIN (half-close: it sends no more)" },
  "our FIN": { fromPeer: false, line: "-)", label: "FIN (half-close: it sends no more)" },
  reset: { fromPeer: true, line: "-x", label: "RST (the connection reset)" },
  "our reset": { fromPeer: false, line: "-x", label: "RST (the connection reset)" },
  refused: { fromPeer: false, line: "-x", label: "RST: connect() refused, nothing listens there" },
};

/**
 * A UDP run, from both ends: each datagram the sender sent, matched to the one the receiver got
 * by its bytes; one that never arrived is drawn as lost.
 */
export function udpDiagram(sender: WireEvent[], receiver: WireEvent[]): string {
  const arrived = receiver.filter((e) => e.kind === "datagram received");
  const lines = [
    "sequenceDiagram",
    "    participant C as client.ts",
    "    participant S as server.ts",
    "    Note over C,S: times: each program's own clock, from its start",
  ];
  for (const sent of sender.filter((e) => e.kind === "datagram sent")) {
    const match = arrived.findIndex((e) => e.bytes === sent.bytes);
    const label = text(sent.bytes ?? "");
    if (match === -1) {
      lines.push(`    C-xS: ${label} ${seconds(sent.at)}, lost`);
      continue;
    }
    const [got] = arrived.splice(match, 1);
    lines.push(`    C-)S: ${label} sent ${seconds(sent.at)}, received ${seconds(got?.at ?? 0)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A UDP program's run, as its own trace saw it: its lifeline, one per address it heard from or
 * sent to, and each datagram, in order. Only one side's view: a datagram lost on the way is seen
 * by neither the receiver (it never came) nor the sender (UDP does not tell).
 */
export function udpSideDiagram(events: WireEvent[], program: string): string {
  const datagrams = events.filter(
    (e) => e.kind === "datagram received" || e.kind === "datagram sent",
  );
  const peers = [...new Set(datagrams.map((e) => e.peer))];
  const lines = [
    "sequenceDiagram",
    `    participant P as ${text(program)}`,
    ...peers.map((peer, index) => {
      const first = datagrams.find((e) => e.peer === peer);
      const role = first?.kind === "datagram sent" ? "receiver" : "sender";
      return `    participant A${index + 1} as ${text(`${role} ${peer}`)}`;
    }),
  ];
  for (const event of datagrams) {
    const other = `A${peers.indexOf(event.peer) + 1}`;
    const [from, to] = event.kind === "datagram sent" ? ["P", other] : [other, "P"];
    lines.push(`    ${from}-)${to}: ${text(event.bytes ?? "")} ${seconds(event.at)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A program's own --trace lines as a diagram: which kind of program it was (a TCP server, a TCP
 * client, a UDP sender or receiver) is read from what it did.
 */
export function ownTraceDiagram(output: string[], program: string): string {
  const events = wireEvents(output);
  if (events.some((e) => e.kind.startsWith("datagram"))) return udpSideDiagram(events, program);
  if (!events.some((e) => e.kind === "connected"))
    return tcpDiagram(events, { ...SERVER_TRACE, program });
  return tcpDiagram(events, { program, peer: (address) => `server ${address}` });
}

/**
 * A step's own UDP socket and the program it talks to: each datagram the step sent to it, and
 * each it received from it, in order. What the step sent may still have been lost on the way.
 */
export function datagramDiagram(events: WireEvent[], program: string): string {
  const lines = [
    "sequenceDiagram",
    `    participant P as ${text(program)}`,
    "    participant T as the step's socket",
  ];
  for (const event of events) {
    const [from, to] = event.kind === "datagram sent" ? ["P", "T"] : ["T", "P"];
    if (event.kind === "datagram sent" || event.kind === "datagram received") {
      lines.push(`    ${from}-)${to}: ${text(event.bytes ?? "")} ${seconds(event.at)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `3 bytes "pyt"`, as --trace shows bytes (common/trace.ts's bytes()): escaped, long ones cut.
 * The checker keeps its own: common/ is the lesson's code, which reads the lesson's package.json
 * as it loads, and the repository's tools load this checker from tools/shared, where there is none.
 */
export function describeBytes(data: Buffer | string): string {
  const buffer = typeof data === "string" ? Buffer.from(data) : data;
  if (buffer.length === 0) return "0 bytes (empty)";
  const shown = JSON.stringify(buffer.subarray(0, 60).toString("utf8"));
  return `${buffer.length} byte${buffer.length === 1 ? "" : "s"} ${shown}${buffer.length > 60 ? "..." : ""}`;
}

/** Where a diagram's Markdown file is seen as a picture, for the sentences that name a file. */
export const SHOWN_BY =
  "GitHub and GitLab show it as a picture; so does VS Code, with the extension Markdown Preview Mermaid Support (bierner.markdown-mermaid).";

/** The diagram in a Markdown file of its own, which a code host shows as a picture. */
export function markdown(title: string, diagram: string): string {
  return `# ${title}\n\n\`\`\`mermaid\n${diagram}\`\`\`\n`;
}

function seconds(at: number): string {
  return `(+${at.toFixed(3)} s)`;
}

/**
 * Text that Mermaid shows as it is: `;` and `#` would end or start something in its syntax, and
 * `<` `>` would be HTML, so each is written as Mermaid's entity code.
 */
function text(words: string): string {
  return words.replace(/[#;<>]/g, (character) => `#${character.charCodeAt(0)};`);
}
