import { InterruptedError } from './interrupt';
import { QuitAtPrompt, type Terminal } from './terminal';

/**
 * What the person typed at a hidden prompt ('' for nothing). Ctrl-C or Ctrl-D there ends the
 * command with `cancelled`, which says what was left undone, and exit status 130.
 */
export async function readHiddenOrCancel(
  terminal: Terminal,
  prompt: string,
  cancelled: string,
): Promise<string> {
  try {
    return (await terminal.readHidden(prompt)) ?? '';
  } catch (error) {
    if (error instanceof QuitAtPrompt) throw new InterruptedError(cancelled);
    throw error;
  }
}
