import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerClient } from './client';
import type { CliContext } from './context';
import type { QuestionDoorOptions } from './question-door';
import type { TerminalChoice } from './terminal';

/** Where the terminals of one ROLECALL_HOME agree on who asks each question. */
export function promptLocksDir(ctx: Pick<CliContext, 'home'>): string {
  return join(ctx.home, 'prompts');
}

/**
 * Runs `work` — a call that waits for a profile (a load) — with a terminal open as a door for
 * the questions that profile waits on, until `work` settles: stdin's, or the controlling terminal
 * (`askOn`, see `openTerminal`). `stop` ends the command (see `abortOnInterrupt`): with no reason
 * for Ctrl-C at the prompt. With `openAfterMs`, the door opens only when `work` is still waiting
 * by then: work that is done at once (credentials already held) asks the server nothing more,
 * and loads none of the door's code.
 */
export async function whileAnswering<T>(
  ctx: CliContext,
  client: ServerClient,
  door: Omit<QuestionDoorOptions, 'signal' | 'stop'> & {
    askOn: TerminalChoice;
    openAfterMs?: number;
  },
  stop: (reason?: Error) => void,
  work: () => Promise<T>,
): Promise<T> {
  const watching = new AbortController();
  const { openAfterMs, ...doorOptions } = door;
  const open = (async () => {
    if (openAfterMs !== undefined)
      await sleep(openAfterMs, undefined, { signal: watching.signal }).catch(() => undefined);
    if (watching.signal.aborted) return;
    const [{ keepQuestionDoor }, { PromptLocks }] = await Promise.all([
      import('./question-door'),
      import('./prompt-lock'),
    ]);
    const locks = new PromptLocks(promptLocksDir(ctx));
    await keepQuestionDoor(
      {
        snapshot: () => client.call('getSnapshot'),
        answer: (key, answer) => client.call('answerInput', { key, answer }),
        openTerminal: () => ctx.openTerminal?.(door.askOn) ?? null,
        claim: (key) => locks.claim(key),
        stderr: ctx.stderr,
      },
      {
        ...doorOptions,
        signal: watching.signal,
        stop: (reason) => stop(reason === 'quit' ? undefined : reason),
      },
    );
  })();
  try {
    return await work();
  } finally {
    watching.abort();
    await open;
  }
}
