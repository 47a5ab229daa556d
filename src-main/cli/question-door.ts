import { setTimeout as sleep } from 'node:timers/promises';
import type { InputRequestView } from '../../src-shared/input-request';
import { answerProblem, questionSubject, questionsFor } from '../../src-shared/questions';
import type { Snapshot } from '../../src-shared/snapshot';
import { errorMessage, RolecallError } from '../core/errors';
import type { HeldPrompt, PromptClaim } from './prompt-lock';
import { shellWord } from './status-view';
import { QuitAtPrompt, type Terminal } from './terminal';

/**
 * How often a waiting command looks for questions. The snapshot is small and local; a person
 * notices a prompt that comes a third of a second late no more than one that comes at once.
 */
export const QUESTION_POLL_MS = 300;

export interface QuestionDoorDeps {
  /** The running server's snapshot (`getSnapshot`). */
  snapshot(): Promise<Snapshot>;
  /** `answerInput`; resolves with the snapshot after it. */
  answer(key: string, answer: string): Promise<Snapshot>;
  /** The person's terminal, or null when there is none; called once, when first needed. */
  openTerminal(): Terminal | null;
  /** Who may ask each question (one terminal per question across processes). */
  claim(key: string): Promise<PromptClaim>;
  /** stderr: where a command without a terminal says what it waits for. */
  stderr(text: string): void;
  pollMs?: number;
}

export interface QuestionDoorOptions {
  /** The profile this command waits for; questions of its chain are its questions too. */
  profile: string;
  /** Aborted when the command stops waiting (its load finished, failed or was cancelled). */
  signal: AbortSignal;
  /**
   * Ends the command: 'quit' for Ctrl-C at a prompt (raw mode swallows the SIGINT), or an error
   * to fail with (a code given with --mfa-code was refused, and there is no terminal to ask).
   */
  stop(reason: 'quit' | Error): void;
  /**
   * Say nothing when another terminal asks: `credential-process` helpers started ten at a time
   * must put one prompt on the screen, not one prompt and nine notes.
   */
  quietWhileOthersAsk?: boolean;
  /** A code was given up front (`--mfa-code`); its refusal ends a command that cannot ask. */
  mfaCodeGiven?: boolean;
  /** The command, as the person typed it, for "load with --mfa-code" hints; none: no such hint. */
  retryCommand?: string;
}

/**
 * The terminal as a door: while a command waits for a profile, answers the questions its profile
 * (or its chain) waits on. With a terminal, the one process that claims a question asks it —
 * an MFA code with hidden input, sent with `answerInput`; a refused code's reason, then the
 * question again — or, for a sign-in, says where to sign in. The others wait for the same answer.
 * Without a terminal, it says once what is needed and how to give it, and waits. Resolves when
 * `signal` is aborted.
 */
export async function keepQuestionDoor(
  deps: QuestionDoorDeps,
  options: QuestionDoorOptions,
): Promise<void> {
  const door = new QuestionDoor(deps, options);
  try {
    while (!options.signal.aborted) {
      const snapshot = await deps.snapshot().catch(() => null);
      // A server that cannot answer now fails the command's own call too; nothing to add here.
      if (snapshot && !options.signal.aborted) await door.look(snapshot);
      await sleep(deps.pollMs ?? QUESTION_POLL_MS, undefined, { signal: options.signal }).catch(
        () => undefined,
      );
    }
  } finally {
    await door.close();
  }
}

/** Why a prompt is taken back: the question closed (answered or dismissed elsewhere). */
const GONE = 'gone';

/** A question as last seen when this door answered it: seen again unchanged, it still waits. */
interface Answered {
  since: string;
  retryReason: string | undefined;
}

/** One command's door; `look` is called with each snapshot. Exported for its tests. */
export class QuestionDoor {
  private terminal: Terminal | null | undefined;
  private readonly held = new Map<string, HeldPrompt>();
  private readonly answered = new Map<string, Answered>();
  private readonly told = new Set<string>();
  private asking: { key: string; stop: AbortController; done: Promise<void> } | null = null;

  constructor(
    private readonly deps: QuestionDoorDeps,
    private readonly options: QuestionDoorOptions,
  ) {}

  async look(snapshot: Snapshot): Promise<void> {
    const open = new Map(questionsFor(snapshot, this.options.profile).map((q) => [q.key, q]));
    if (this.asking && !open.has(this.asking.key)) {
      this.asking.stop.abort(GONE);
      await this.asking.done;
    }
    for (const key of [...this.answered.keys()]) if (!open.has(key)) this.answered.delete(key);
    for (const key of [...this.held.keys()]) if (!open.has(key)) await this.release(key);
    if (this.asking) return;
    for (const question of open.values()) {
      if (this.isAnswered(question)) continue;
      if (await this.take(question)) return;
    }
  }

  async close(): Promise<void> {
    this.asking?.stop.abort();
    await this.asking?.done;
    for (const key of [...this.held.keys()]) await this.release(key);
    this.terminal?.close();
  }

  /** This door answered the question, and it has not come back asking again. */
  private isAnswered(question: InputRequestView): boolean {
    const answered = this.answered.get(question.key);
    return (
      answered !== undefined &&
      answered.since === question.since &&
      answered.retryReason === question.retryReason
    );
  }

  /** Asks the question, or says what it needs; true when a prompt now waits for the person. */
  private async take(question: InputRequestView): Promise<boolean> {
    const terminal = this.openTerminal();
    if (!terminal) {
      if (question.kind === 'mfa-code' && question.retryReason && this.options.mfaCodeGiven) {
        this.options.stop(refusedGivenCode(question));
        return false;
      }
      this.tellOnce(question, this.deps.stderr, headlessWords(question, this.options));
      return false;
    }
    const claim = this.held.has(question.key) ? null : await this.deps.claim(question.key);
    if (claim && 'heldBy' in claim) {
      if (!this.options.quietWhileOthersAsk)
        this.tellOnce(question, this.deps.stderr, elsewhereWords(question, claim.heldBy));
      return false;
    }
    if (claim) this.held.set(question.key, claim.held);
    if (question.kind === 'sign-in') {
      this.tellOnce(question, (text) => terminal.write(text), signInWords(question));
      return false;
    }
    this.ask(terminal, question);
    return true;
  }

  private ask(terminal: Terminal, question: InputRequestView): void {
    const stop = new AbortController();
    const done = (async () => {
      if (question.retryReason) terminal.write(`${question.retryReason}\n`);
      for (;;) {
        const typed = await terminal.readHidden(promptWords(question), stop.signal);
        if (typed === null) {
          if (stop.signal.reason === GONE)
            terminal.write(
              `No ${question.kind === 'new-password' ? 'password' : 'code'} is needed here any more: it was given elsewhere, or the question was dismissed.\n`,
            );
          return;
        }
        const newPassword = question.kind === 'new-password';
        // A password is sent as typed; a code without the spaces around it.
        const answer = newPassword ? typed : typed.trim();
        const problem = answerProblem(question, answer);
        if (problem !== null) {
          terminal.write(`${problem}\n`);
          continue;
        }
        if (newPassword && (await terminal.readHidden('Type it again: ', stop.signal)) !== answer) {
          terminal.write('The two did not match; type the new password again.\n');
          continue;
        }
        this.answered.set(question.key, {
          since: question.since,
          retryReason: question.retryReason,
        });
        try {
          await this.deps.answer(question.key, answer);
        } catch (error) {
          this.answered.delete(question.key);
          terminal.write(`${errorMessage(error)}\n`);
        }
        return;
      }
    })()
      .catch((error: unknown) => {
        if (error instanceof QuitAtPrompt) this.options.stop('quit');
        else terminal.write(`${errorMessage(error)}\n`);
      })
      .finally(() => {
        if (this.asking?.stop === stop) this.asking = null;
      });
    this.asking = { key: question.key, stop, done };
  }

  private openTerminal(): Terminal | null {
    if (this.terminal === undefined) this.terminal = this.deps.openTerminal();
    return this.terminal;
  }

  /** Says something about a question once, and again only when its retry reason changes. */
  private tellOnce(question: InputRequestView, write: (text: string) => void, text: string): void {
    const said = `${question.key}\u0000${question.since}\u0000${question.retryReason ?? ''}`;
    if (this.told.has(said)) return;
    this.told.add(said);
    write(text);
  }

  private async release(key: string): Promise<void> {
    const held = this.held.get(key);
    this.held.delete(key);
    await held?.release().catch(() => undefined);
  }
}

function profilesWord(waiting: readonly string[]): string {
  if (waiting.length === 0) return '';
  return ` (${waiting.length === 1 ? 'profile' : 'profiles'} ${waiting.join(', ')})`;
}

/** "MFA code for arn:aws:iam::123456789012:mfa/alice (profile base): " */
function promptWords(question: InputRequestView): string {
  if (question.kind === 'new-password')
    return `${question.prompt}${profilesWord(question.waiting)}. New password: `;
  return `MFA code for ${questionSubject(question)}${profilesWord(question.waiting)}: `;
}

function signInWords(question: InputRequestView): string {
  const session = questionSubject(question);
  return `The IAM Identity Center session ${session} needs a new sign-in${profilesWord(question.waiting)}. Sign in with \`rolecall login ${shellWord(session)}\` in another terminal, or from Rolecall's window; waiting for it (Ctrl-C to stop).\n`;
}

function elsewhereWords(question: InputRequestView, pid: number): string {
  const where = pid > 0 ? `another terminal (pid ${pid})` : 'another terminal';
  if (question.kind === 'new-password')
    return `The new password for ${questionSubject(question)} is being asked in ${where}; waiting for it.\n`;
  return question.kind === 'sign-in'
    ? `Waiting for the sign-in to ${questionSubject(question)} that ${where} asks for.\n`
    : `The MFA code for ${questionSubject(question)} is being asked in ${where}; waiting for it.\n`;
}

/** What a command without a terminal needs, and every way to give it. */
function headlessWords(question: InputRequestView, options: QuestionDoorOptions): string {
  const subject = questionSubject(question);
  const profiles = profilesWord(question.waiting);
  if (question.kind === 'sign-in')
    return `rolecall: the IAM Identity Center session ${subject} needs a new sign-in${profiles}. Sign in with \`rolecall login ${shellWord(subject)}\` or from Rolecall's window; waiting for it.\n`;
  const target = shellWord(question.waiting[0] ?? question.key);
  const retry = question.retryReason ? `${question.retryReason} ` : '';
  const script = options.retryCommand
    ? `, or run \`${options.retryCommand} --mfa-code <code>\``
    : '';
  if (question.kind === 'new-password')
    return `rolecall: ${retry}${question.prompt}${profiles}, and there is no terminal to ask in. Give it with \`rolecall answer ${target}\` or in Rolecall's window; waiting for it.\n`;
  return `rolecall: ${retry}The MFA code for ${subject} is needed${profiles}, and there is no terminal to ask in. Give it with \`rolecall answer ${target}\` or in Rolecall's window${script}; waiting for it.\n`;
}

function refusedGivenCode(question: InputRequestView): Error {
  return new RolecallError(
    'mfa-code-refused',
    `The MFA code given with --mfa-code was not accepted: ${question.retryReason} Run the command again with a new code.`,
    400,
  );
}
