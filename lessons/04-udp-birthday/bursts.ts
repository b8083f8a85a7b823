// Numbered datagrams ("seq=17/1000 Happy Birth Day Server") and the loss report for a burst of
// them. Shared by the sender, which writes the numbers, and the receiver, which counts them
// and reports each burst once its sender falls quiet.

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

/** A burst is over when its sender has been quiet this long. */
const BURST_QUIET_MS = 1000;

/**
 * The receiver's bursts in progress, one per sender, each reported (with its losses) after its
 * sender has been quiet for a second, or when the receiver stops.
 */
export class Bursts {
  private readonly bySender = new Map<
    string,
    { counter: ReturnType<typeof countBurst>; quiet?: NodeJS.Timeout }
  >();

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
    }, BURST_QUIET_MS);
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
