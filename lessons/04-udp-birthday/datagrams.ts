// What this lesson does with datagrams beyond the seed: shows a datagram's text safely, and
// numbers bursts of them ("seq=17/1000 Happy Birth Day Server") so that the receiver can count
// what UDP lost. The sender writes the numbers; the receiver counts them and reports each burst
// once its sender falls quiet.
import type { Socket } from "node:dgram";
import { escapeText } from "./common/escape.ts";
import { send } from "./common/send.ts";

/** Longer texts are shown as their length and their start. */
const SHOW_CHARACTERS = 80;

/** How the receiver shows a datagram's text: escaped, and shortened when long. */
export function describeDatagram(text: string, bytes: number): string {
  if (bytes === 0) return "(empty datagram)";
  // A line typed into `nc -u` ends with a newline; the rest of the text is shown escaped.
  text = text.replace(/\r?\n$/, "");
  if (text.length <= SHOW_CHARACTERS) return escapeText(text);
  return `(${bytes} bytes) ${escapeText(text.slice(0, SHOW_CHARACTERS))}...`;
}

const SEQUENCE = /^seq=(\d+)\/(\d+) /;

/** The text of datagram `seq` (counting from 1) of a burst of `total`. */
export function numbered(seq: number, total: number, message: string): string {
  return `seq=${seq}/${total} ${message}`;
}

/** The sequence number and burst size of a numbered datagram, or undefined for any other. */
export function parseNumbered(text: string): { seq: number; total: number } | undefined {
  const match = SEQUENCE.exec(text);
  if (match === null) return undefined;
  const seq = Number(match[1]);
  const total = Number(match[2]);
  return seq >= 1 && seq <= total && total <= 10_000_000 ? { seq, total } : undefined;
}

/** Counts one sender's burst: which numbers arrived, and which came after a higher one. */
export function countBurst(total: number) {
  const seen = new Uint8Array(total + 1);
  let arrived = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  let highest = 0;
  return {
    total,
    add(seq: number): void {
      if (seen[seq] === 1) {
        duplicates += 1;
        return;
      }
      seen[seq] = 1;
      arrived += 1;
      if (seq < highest) outOfOrder += 1;
      highest = Math.max(highest, seq);
    },
    /** `1000 expected, 987 arrived, 13 lost (1.3%), 2 out of order`. */
    report(): string {
      const lost = total - arrived;
      const percent = ((100 * lost) / total).toFixed(1);
      const extra = duplicates > 0 ? `, ${duplicates} duplicated` : "";
      return `${total} expected, ${arrived} arrived, ${lost} lost (${percent}%), ${outOfOrder} out of order${extra}`;
    },
  };
}

/**
 * The receiver's bursts in progress, one per sender, each reported (with its losses) once its
 * sender has been quiet for `quietMs` (the receiver's --pause, a second by default), or when the
 * receiver stops. UDP never says that a sender is done: silence is the only sign.
 */
export class Bursts {
  private readonly bySender = new Map<
    string,
    { counter: ReturnType<typeof countBurst>; quiet?: NodeJS.Timeout }
  >();
  private quietMs = 1000;

  /** Reports each burst once its sender has been quiet this long. */
  endAfter(quietMs: number): void {
    this.quietMs = quietMs;
  }

  /** Counts a numbered datagram and returns true; returns false for any other text. */
  count(text: string, sender: string): boolean {
    const datagram = parseNumbered(text);
    if (datagram === undefined) return false;
    let burst = this.bySender.get(sender);
    if (burst?.counter.total !== datagram.total) {
      this.report(sender);
      burst = { counter: countBurst(datagram.total) };
      this.bySender.set(sender, burst);
    }
    burst.counter.add(datagram.seq);
    clearTimeout(burst.quiet);
    burst.quiet = setTimeout(() => {
      this.report(sender);
    }, this.quietMs);
    return true;
  }

  reportAll(): void {
    for (const sender of [...this.bySender.keys()]) this.report(sender);
  }

  private report(sender: string): void {
    const burst = this.bySender.get(sender);
    if (burst === undefined) return;
    clearTimeout(burst.quiet);
    this.bySender.delete(sender);
    console.log(`Burst from ${sender}: ${burst.counter.report()}`);
  }
}

/** How many sends a burst keeps in flight: enough to keep the socket busy, not to flood memory. */
const SENDS_IN_FLIGHT = 256;

/** Sends `count` numbered datagrams as fast as the socket takes them; returns the seconds taken. */
export async function sendBurst(
  socket: Socket,
  {
    count,
    message,
    port,
    address,
  }: { count: number; message: string; port: number; address: string },
): Promise<number> {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let seq = 1; seq <= count; seq += 1) {
    const sending = send(socket, Buffer.from(numbered(seq, count, message)), port, address);
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending)).catch(() => undefined);
    if (inFlight.size >= SENDS_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}
