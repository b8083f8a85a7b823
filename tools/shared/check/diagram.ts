// A run's --trace lines as a picture: a Mermaid sequence diagram, which GitHub, GitLab and VS Code
// draw from a Markdown file with nothing installed. Lifelines are the programs and, for TCP, each
// connection the server accepted; each arrow is one thing that went over the wire, with its
// bytes and its time. `npm run trace` (trace-run.ts) writes one for a run of this lesson.

/** One line of --trace, read back: `trace | +4.083s 127.0.0.1:44484 'data' = recv(): 3 bytes "pyt"`. */
export interface WireEvent {
  /** Seconds since the program that traced it started. */
  at: number;
  /** The other end, as the trace names it: a client's address, or the server's. */
  peer: string;
  kind: (typeof KINDS)[keyof typeof KINDS] | "our reset";
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

/**
 * A TCP server's run, as its own trace saw it: the server's lifeline, and one per connection it
 * accepted, side by side in the order they came, so that clients at once can be seen at once.
 */
export function tcpDiagram(server: WireEvent[], serverName = "server.ts"): string {
  const clients = [...new Set(server.filter((e) => e.kind === "accepted").map((e) => e.peer))];
  const id = (peer: string) => `C${clients.indexOf(peer) + 1}`;
  const lines = [
    "sequenceDiagram",
    `    participant S as ${text(serverName)}`,
    ...clients.map((peer) => `    participant ${id(peer)} as ${text(`client ${peer}`)}`),
  ];
  for (const event of server) {
    if (!clients.includes(event.peer)) continue;
    const [client, when] = [id(event.peer), seconds(event.at)];
    if (event.kind === "closed") lines.push(`    Note over ${client}: closed ${when}`);
    const arrow = ARROWS[event.kind];
    if (arrow === undefined) continue;
    const [from, to] = arrow.fromClient ? [client, "S"] : ["S", client];
    const label = event.bytes === undefined ? arrow.label : text(event.bytes);
    lines.push(`    ${from}${arrow.line}${to}: ${label} ${when}`);
  }
  return `${lines.join("\n")}\n`;
}

/** How each TCP event is drawn, seen from the server: who sent it, the arrow, its words. */
const ARROWS: Partial<
  Record<WireEvent["kind"], { fromClient: boolean; line: string; label: string }>
> = {
  accepted: { fromClient: true, line: "->>", label: "connect (SYN, then accept())" },
  received: { fromClient: true, line: "->>", label: "" },
  sent: { fromClient: false, line: "->>", label: "" },
  "their FIN": { fromClient: true, line: "-)", label: "FIN (half-close: it sends no more)" },
  "our FIN": { fromClient: false, line: "-)", label: "FIN (half-close: we send no more)" },
  reset: { fromClient: true, line: "-x", label: "RST (the connection reset)" },
  "our reset": { fromClient: false, line: "-x", label: "RST (the server reset the connection)" },
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
