// The steps' time limits ("did not exit within 2 s"), counted in time the check itself could run.
//
// Why not setTimeout or AbortSignal.timeout: when the check is stalled (a busy machine, a paused
// virtual machine) past a limit, Node runs the late timer before it reads what arrived meanwhile,
// so a program that answered within a millisecond was judged to have never answered (seen once:
// a Python server "did not exit within 2 s" of Ctrl+C, though it exits in 10 ms). Here a stall
// spends at most a tenth of a limit, so the program keeps the rest of it; a program that really
// does not answer still fails, barely later.

/**
 * The time is counted in ticks of a twentieth of the limit (10 ms to 1 s), and a late tick counts
 * as two at most: a stall spends at most a tenth of a limit.
 */
const TICKS_PER_LIMIT = 20;
const tickFor = (ms: number) => Math.min(1_000, Math.max(10, ms / TICKS_PER_LIMIT));

/**
 * Calls `then` once `ms` of the check's own running time have passed; `cancel()` stops it. The
 * wait keeps the process running, as setTimeout's does, unless `holdsProcess` is false.
 */
export function afterRunning(
  ms: number,
  then: () => void,
  { holdsProcess = true } = {},
): { cancel: () => void } {
  const tick = tickFor(ms);
  let counted = 0;
  let last = performance.now();
  const counting = setInterval(() => {
    const now = performance.now();
    counted += Math.min(now - last, 2 * tick);
    last = now;
    if (counted < ms) return;
    clearInterval(counting);
    then();
  }, tick);
  if (!holdsProcess) counting.unref();
  return {
    cancel: () => {
      clearInterval(counting);
    },
  };
}

/**
 * An AbortSignal that aborts with a TimeoutError once `ms` of the check's own running time have
 * passed: AbortSignal.timeout(ms), without the stall. Like it, it holds no process open.
 */
export function deadline(ms: number): AbortSignal {
  const controller = new AbortController();
  const reason = new DOMException(`${ms} ms of the check's running time passed`, "TimeoutError");
  afterRunning(
    ms,
    () => {
      controller.abort(reason);
    },
    { holdsProcess: false },
  );
  return controller.signal;
}
