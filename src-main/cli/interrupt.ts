/** Ctrl-C ended a command that was waiting; exits 130 like any program stopped by SIGINT. */
export class InterruptedError extends Error {
  readonly exitCode = 130;
}

/** Calls `listener` on Ctrl-C (SIGINT) until the returned function is called. */
export type OnInterrupt = (listener: () => void) => () => void;

export const onProcessInterrupt: OnInterrupt = (listener) => {
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
};

/**
 * Runs `work` with a signal that Ctrl-C aborts. Aborting a call to the server closes its
 * connection, and the server cancels what that call started; the command then ends with
 * `cancelled` instead of waiting on. `work` may stop itself the same way: with no reason for a
 * Ctrl-C that never became a SIGINT (typed at a hidden prompt, in raw mode), or with an error to
 * end with.
 */
export async function abortOnInterrupt<T>(
  onInterrupt: OnInterrupt,
  cancelled: string,
  work: (signal: AbortSignal, stop: (reason?: Error) => void) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stop = (reason?: Error) => controller.abort(reason ?? new InterruptedError(cancelled));
  const stopListening = onInterrupt(() => stop());
  try {
    return await work(controller.signal, stop);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    stopListening();
  }
}
