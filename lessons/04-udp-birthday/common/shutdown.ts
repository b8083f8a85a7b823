// Stopping on Ctrl+C (SIGINT) or SIGTERM: the program is told through an AbortSignal, and
// stops in its own way (close what it holds, print one line, exit 0).

/** An AbortSignal that fires on Ctrl+C or SIGTERM. */
export function stopSignal(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    controller.abort();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}
