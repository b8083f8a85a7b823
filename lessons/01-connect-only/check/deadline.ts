// The steps' time limits ("did not exit within 2 s"), counted in time the check itself could run.
//
// Why not setTimeout or AbortSignal.timeout: when the check is stalled (a busy machine, a paused
// virtual machine) past a limit, Node runs the late timer before it reads what arrived meanwhile,
// so a program that answered within a millisecond was judged to have never answered (seen once:
// a Python server "did not exit within 2 s" of Ctrl+C, though it exits in 10 ms). Here a stall
// counts as one short tick at most, and a program still gets its whole limit of the check's
// attention; a program that really does not answer still fails, barely later.

/** How often the time is counted, and the most a single late count adds (a stall). */
const TICK_MS = 100;
const MOST_PER_TICK_MS = 2 * TICK_MS;

/**
 * Calls `then` once `ms` of the check's own running time have passed; `cancel()` stops it. The
 * wait keeps the process running, as setTimeout's does, unless `holdsProcess` is false.
 */
export function afterRunning(
  ms: number,
  then: () => void,
  { holdsProcess = true } = {},
): { cancel: () => void } {
  const tick = Math.max(10, Math.min(TICK_MS, ms / 10));
  let counted = 0;
  let last = performance.now();
  const counting = setInterval(() => {
    const now = performance.now();
    counted += Math.min(now - last, MOST_PER_TICK_MS);
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
