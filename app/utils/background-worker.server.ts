/**
 * The loop behind this process's background workers (the outbox, data exports): `work` runs
 * shortly after a wake-up (a request that queued something, after its transaction committed), at
 * every poll (for what another process or node queued), and once at start. Runs never overlap: a
 * call during a run makes that run go round once more. Errors are passed to `onError`, never
 * thrown. Returns a stop function.
 */
export function startBackgroundWorker(options: {
  work: () => Promise<void>;
  onError: (error: unknown) => void;
  /** Stores (or, with null, clears) the function that wakes this worker. */
  setWake: (wake: (() => void) | null) => void;
  pollMs: number;
  wakeDelayMs: number;
}): () => void {
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await options.work();
      } while (again);
    } catch (error) {
      options.onError(error);
    } finally {
      running = false;
    }
  };
  options.setWake(() => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, options.wakeDelayMs);
    timer.unref();
  });
  const poll = setInterval(() => void run(), options.pollMs);
  poll.unref();
  void run();
  return () => {
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    options.setWake(null);
  };
}
