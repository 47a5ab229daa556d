import type { Command } from 'commander';
import type { InputRequestView } from '../../../src-shared/input-request';
import {
  questionSubject,
  answerProblem,
  questionsFor,
  questionTitle,
  waitingWords,
} from '../../../src-shared/questions';
import type { Snapshot } from '../../../src-shared/snapshot';
import { RolecallError } from '../../core/errors';
import { connect, type ServerClient } from '../client';
import type { CliContext } from '../context';
import { QUESTION_POLL_MS } from '../question-door';
import { shellWord } from '../status-view';
import { readHiddenOrCancel } from '../read-hidden';
import type { Terminal } from '../terminal';
import { UsageError } from '../usage-error';

/** How long `answer` waits to tell whether a code was accepted before it just says it was sent. */
const OUTCOME_WAIT_MS = 60_000;

/** An MFA code is a line of 6 to 8 digits; a pipe with far more in it is not one. */
const STDIN_LIMIT = { bytes: 64 * 1024, expected: 'an MFA code' };

export function registerAnswer(program: Command, context: () => CliContext): void {
  program
    .command('answer')
    .description(
      'Answer a question Rolecall is waiting on (an MFA code, a new sign-in), or dismiss it.',
    )
    .argument(
      '[question]',
      'a profile that waits, the MFA device or IAM Identity Center session it waits for, or the key `rolecall status` shows; needed when several wait',
    )
    .option(
      '--dismiss',
      'stop waiting: the profiles waiting fail, and keep what they hold until it expires',
    )
    .addHelpText(
      'after',
      '\nAn MFA code is read hidden from the terminal, or from stdin when it is piped in\n(`oathtool --totp -b "$SEED" | rolecall answer dev`); never from the command line.\nA sign-in is answered by signing in (`rolecall login`, the window), which `answer` only checks.',
    )
    .action(async (target: string | undefined, options: { dismiss?: boolean }) => {
      const ctx = context();
      const client = await connect(ctx.home, ctx.secrets);
      const question = pickQuestion(await client.call('getSnapshot'), target);
      if (options.dismiss) {
        await client.call('dismissInput', { key: question.key });
        ctx.stderr(
          `Dismissed: ${waitingNames(question)} no longer wait${question.waiting.length === 1 ? 's' : ''} for ${what(question)}; what they hold is served until it expires.\n`,
        );
        return;
      }
      if (question.kind === 'sign-in') await answerSignIn(client, question, ctx);
      else await answerMfaCode(client, question, ctx);
    });
}

/**
 * The question the user named: by key, by a profile that waits (itself or through its chain), or
 * by its MFA device or session; with no name, the only one open.
 */
export function pickQuestion(snapshot: Snapshot, target: string | undefined): InputRequestView {
  const open = snapshot.inputRequests ?? [];
  if (open.length === 0)
    throw new RolecallError('no-question', 'No question is waiting for an answer.', 404);
  const matches =
    target === undefined
      ? open
      : unique([
          ...open.filter((q) => q.key === target || questionSubject(q) === target),
          ...questionsFor(snapshot, target),
        ]);
  if (matches.length === 1) return matches[0]!;
  const list = (matches.length > 0 ? matches : open)
    .map((q) => `\`rolecall answer ${shellWord(q.waiting[0] ?? q.key)}\` (${questionTitle(q)})`)
    .join(', ');
  if (matches.length === 0)
    throw new RolecallError(
      'no-question',
      `No question waits for ${target}. These do: ${list}.`,
      404,
    );
  throw new UsageError(`Several questions wait; name one: ${list}.`);
}

async function answerSignIn(
  client: ServerClient,
  question: InputRequestView,
  ctx: CliContext,
): Promise<void> {
  const session = questionSubject(question);
  const view = (await client.call('listSessions')).find((candidate) => candidate.name === session);
  if (!view?.signedIn)
    throw new RolecallError(
      'not-signed-in',
      `${session} is not signed in. Sign in with \`rolecall login ${shellWord(session)}\`; that answers the question.`,
      409,
    );
  await client.call('answerInput', { key: question.key, answer: 'signed-in' });
  ctx.stderr(`Told Rolecall that ${session} is signed in; ${waitingNames(question)} can go on.\n`);
}

/**
 * Reads the code (hidden from the terminal, or the first line of piped stdin), sends it, and
 * waits to tell whether it was taken: a refused code is said, and asked again on a terminal.
 */
async function answerMfaCode(
  client: ServerClient,
  question: InputRequestView,
  ctx: CliContext,
): Promise<void> {
  const piped = !ctx.stdinIsTerminal && ctx.readStdin;
  const terminal = piped ? null : (ctx.openTerminal?.('stdin') ?? null);
  if (!piped && !terminal)
    throw new RolecallError(
      'no-terminal',
      `There is no terminal to read the MFA code from; pipe it in: \`echo <code> | rolecall answer ${shellWord(question.waiting[0] ?? question.key)}\`.`,
      400,
    );
  try {
    let current = question;
    for (;;) {
      const newPassword = current.kind === 'new-password';
      const line = piped
        ? (await ctx.readStdin!(STDIN_LIMIT)).split(/\r?\n/)[0]!
        : await askCode(terminal!, current);
      // A password is sent as typed; a code without the spaces around it.
      const answer = newPassword ? line : line.trim();
      const problem = answerProblem(current, answer);
      if (problem !== null) {
        if (piped) throw new RolecallError('bad-answer', problem, 400);
        terminal!.write(`${problem}\n`);
        continue;
      }
      if (newPassword && !piped && (await askAgain(terminal!)) !== answer) {
        terminal!.write('The two did not match; type the new password again.\n');
        continue;
      }
      await client.call('answerInput', { key: current.key, answer });
      const outcome = await outcomeOf(() => client.call('getSnapshot'), current);
      if (outcome.kind === 'accepted') {
        ctx.stderr(`Accepted; ${waitingNames(current)} can go on.\n`);
        return;
      }
      if (outcome.kind === 'failed')
        throw new RolecallError('answer-failed', `The code was sent, but: ${outcome.reason}`, 502);
      if (outcome.kind === 'unknown') {
        ctx.stderr(`Sent the code for ${questionSubject(current)}.\n`);
        return;
      }
      if (piped)
        throw new RolecallError(
          'mfa-code-refused',
          `The code was not accepted: ${outcome.question.retryReason ?? 'it was asked for again.'}`,
          400,
        );
      terminal!.write(`${outcome.question.retryReason ?? 'The code was not accepted.'}\n`);
      current = outcome.question;
    }
  } finally {
    terminal?.close();
  }
}

async function askCode(terminal: Terminal, question: InputRequestView): Promise<string> {
  const prompt =
    question.kind === 'new-password'
      ? `${question.prompt}. New password: `
      : `MFA code for ${questionSubject(question)}: `;
  return readHiddenOrCancel(terminal, prompt, NOTHING_ANSWERED);
}

function askAgain(terminal: Terminal): Promise<string> {
  return readHiddenOrCancel(terminal, 'Type it again: ', NOTHING_ANSWERED);
}

const NOTHING_ANSWERED = 'Nothing was answered.';

type Outcome =
  | { kind: 'accepted' }
  | { kind: 'refused'; question: InputRequestView }
  | { kind: 'failed'; reason: string }
  | { kind: 'unknown' };

/**
 * What became of an answer: the question asked again (refused); or closed, with the profiles that
 * waited renewed (accepted) or failing for another reason. A source that takes longer than a
 * minute to try the code is left to it.
 */
export async function outcomeOf(
  snapshotNow: () => Promise<Snapshot>,
  answered: InputRequestView,
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<Outcome> {
  const deadline = Date.now() + (options.waitMs ?? OUTCOME_WAIT_MS);
  for (;;) {
    const outcome = outcomeIn(await snapshotNow(), answered);
    if (outcome || Date.now() >= deadline) return outcome ?? { kind: 'unknown' };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? QUESTION_POLL_MS));
  }
}

/** The outcome a snapshot shows, or null while the source is still trying the answer. */
function outcomeIn(snapshot: Snapshot, answered: InputRequestView): Outcome | null {
  const again = snapshot.inputRequests?.find((q) => q.key === answered.key);
  if (again)
    return again.since !== answered.since || again.retryReason !== answered.retryReason
      ? { kind: 'refused', question: again }
      : null;
  const waited = snapshot.entries.filter((entry) => answered.waiting.includes(entry.profile));
  const failing = waited.find((entry) => entry.state !== 'fresh' && entry.lastError);
  if (failing) return { kind: 'failed', reason: failing.lastError! };
  return waited.every((entry) => entry.state === 'fresh') ? { kind: 'accepted' } : null;
}

function what(question: InputRequestView): string {
  if (question.kind === 'new-password') return `a new password for ${questionSubject(question)}`;
  return question.kind === 'sign-in'
    ? `a sign-in to ${questionSubject(question)}`
    : `the MFA code of ${questionSubject(question)}`;
}

function waitingNames(question: InputRequestView): string {
  return question.waiting.length === 0 ? 'the profiles waiting' : waitingWords(question.waiting);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
