import { askInstanceHolder } from '../core/runtime/instance-holder';
import type { CliContext } from './context';
import { ExitStatus } from './exit-status';
import { defaultSlotIn, promptLine } from './prompt-line';

/**
 * A prompt is drawn before every command line; it must never make a person wait long for
 * Rolecall. The local server answers in milliseconds and the keychain read for its token in tens;
 * two seconds still leaves room for a machine that is very busy, and past it the server is not
 * well and `rolecall status` is the place to say so.
 */
export const PROMPT_TIMEOUT_MS = 2000;

/**
 * `rolecall status --prompt`: the default slot's profile and time left, from the running server
 * only (nothing else is asked, so nothing on the network). Nothing at all when no Rolecall runs.
 * When the server cannot be asked in time it prints nothing either, and exits 1 without a word:
 * a prompt is no place for an error, and `rolecall status` says what is wrong.
 *
 * The running Rolecall tells its default slot to whoever asks its instance lock, a socket only
 * this user can reach; that is one round trip, with no keychain read and no request. A Rolecall
 * that does not tell it (an older one, or on Windows) is asked over its API, as `status` does.
 */
export async function statusPrompt(ctx: CliContext): Promise<string> {
  const holder = await askInstanceHolder(ctx.home);
  if (!holder) return '';
  if (holder.defaultSlot !== undefined) return promptLine(holder.defaultSlot, Date.now());
  // A holder that did not answer within its time is not well: asking its API would only wait more.
  if (holder.pid === null) throw new ExitStatus(1);
  return promptFromApi(ctx);
}

async function promptFromApi(ctx: CliContext): Promise<string> {
  const { connect, findServer } = await import('./client');
  if (!(await findServer(ctx.home))) return '';
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROMPT_TIMEOUT_MS);
  try {
    const snapshot = await Promise.race([
      connect(ctx.home, ctx.secrets).then((client) =>
        client.call('getSnapshot', undefined, { signal: controller.signal }),
      ),
      new Promise<never>((_, reject) =>
        controller.signal.addEventListener('abort', () => reject(new Error('timed out'))),
      ),
    ]);
    return promptLine(defaultSlotIn(snapshot), Date.now());
  } catch {
    throw new ExitStatus(1);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
