import { join } from 'node:path';
import type { ServerClient } from './client';
import type { CliContext } from './context';
import { PromptLocks } from './prompt-lock';
import { keepQuestionDoor, type QuestionDoorOptions } from './question-door';
import type { TerminalChoice } from './terminal';

/** Where the terminals of one ROLECALL_HOME agree on who asks each question. */
export function promptLocks(ctx: Pick<CliContext, 'home'>): PromptLocks {
  return new PromptLocks(join(ctx.home, 'prompts'));
}

/**
 * Runs `work` — a call that waits for a profile (a load) — with a terminal open as a door for
 * the questions that profile waits on, until `work` settles: stdin's, or the controlling terminal
 * (`askOn`, see `openTerminal`). `stop` ends the command (see `abortOnInterrupt`): with no reason
 * for Ctrl-C at the prompt.
 */
export async function whileAnswering<T>(
  ctx: CliContext,
  client: ServerClient,
  door: Omit<QuestionDoorOptions, 'signal' | 'stop'> & { askOn: TerminalChoice },
  stop: (reason?: Error) => void,
  work: () => Promise<T>,
): Promise<T> {
  const watching = new AbortController();
  const locks = promptLocks(ctx);
  const open = keepQuestionDoor(
    {
      snapshot: () => client.call('getSnapshot'),
      answer: (key, answer) => client.call('answerInput', { key, answer }),
      openTerminal: () => ctx.openTerminal?.(door.askOn) ?? null,
      claim: (key) => locks.claim(key),
      stderr: ctx.stderr,
    },
    {
      ...door,
      signal: watching.signal,
      stop: (reason) => stop(reason === 'quit' ? undefined : reason),
    },
  );
  try {
    return await work();
  } finally {
    watching.abort();
    await open;
  }
}
