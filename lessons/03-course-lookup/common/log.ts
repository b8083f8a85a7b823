// The server's log, one line per event. Lines are gathered and written together at most 50 ms
// later: a write to a terminal or pipe is a synchronous system call, and one per request would
// cost more than the lookup itself.

const LOG_INTERVAL_MS = 50;

let quiet = false;
let pending: string[] = [];

/** --quiet: from now on, log lines are dropped. */
export function silenceLog(): void {
  quiet = true;
}

export function log(line: string): void {
  if (quiet) return;
  if (pending.length === 0) setTimeout(flushLog, LOG_INTERVAL_MS).unref();
  pending.push(line);
}

/** Writes what is gathered now; also runs when the process exits. */
export function flushLog(): void {
  if (pending.length === 0) return;
  process.stdout.write(`${pending.join("\n")}\n`);
  pending = [];
}

process.on("exit", flushLog);
