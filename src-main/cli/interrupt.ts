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
 * `cancelled` instead of waiting on.
 */
export async function abortOnInterrupt<T>(
  onInterrupt: OnInterrupt,
  cancelled: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const stopListening = onInterrupt(() => controller.abort(new InterruptedError(cancelled)));
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    stopListening();
  }
}
