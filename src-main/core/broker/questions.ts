import { mfaCodeSchema } from '../../../src-shared/api';
import type { InputRequestView, Question } from '../../../src-shared/input-request';
import type { Clock, TimerHandle } from '../clock';
import { RolecallError } from '../errors';
import { fetchCancelled, type FetchRun } from './fetch-run';

/** How a question closed. */
export type QuestionEnd = 'answered' | 'dismissed' | 'unanswered' | 'withdrawn';

/** What the broker does when questions open and close. */
export interface QuestionOutcomes {
  /** A question opened, or opened again after a wrong answer: a person should be asked. */
  opened(key: string): void;
  /**
   * A question closed: answered, dismissed, not answered in time, or withdrawn because nothing
   * waits for it any more. `waiting` are the profiles that waited for it.
   */
  closed(question: Question, how: QuestionEnd, waiting: string[]): void;
  /** A fetch started or stopped waiting on an open question. */
  waitersChanged(): void;
  /** What a fetch fails with when its question was dismissed or not answered in time. */
  unanswered(run: FetchRun, question: Question, how: 'dismissed' | 'unanswered'): Error;
  /** The profiles waiting on `key`, directly or through a parent, sorted. */
  waitingOn(key: string): string[];
}

interface Waiter {
  run: FetchRun;
  resolve(answer: string): void;
  reject(error: Error): void;
  stopListening(): void;
}

interface OpenQuestion {
  question: Question;
  since: number;
  waiters: Set<Waiter>;
  timer: TimerHandle;
}

/**
 * Questions only a person can answer, one per key: single flight, applied to people. Every
 * fetch that asks an open question's key waits for the same answer; the answer, a dismissal or
 * the time bound ends it for all of them at once. A fetch that stops wanting the answer leaves,
 * and the last to leave withdraws the question.
 */
export class OpenQuestions {
  private readonly open = new Map<string, OpenQuestion>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: () => number,
    private readonly outcomes: QuestionOutcomes,
  ) {}

  get size(): number {
    return this.open.size;
  }

  has(key: string): boolean {
    return this.open.has(key);
  }

  kindOf(key: string): Question['kind'] | undefined {
    return this.open.get(key)?.question.kind;
  }

  /**
   * Resolves with the answer to `question`, shared with every fetch asking its key. An MFA code
   * given up front with the fetch's load answers the first MFA question at once, and answers it
   * for everyone already waiting on it too.
   */
  ask(run: FetchRun, question: Question): Promise<string> {
    if (run.isAborted) return Promise.reject(fetchCancelled(run.entry.profile));
    const { key } = question;
    if (question.kind === 'mfa-code') {
      const code = run.takePreAnswer();
      if (code !== null) {
        if (this.open.has(key)) this.answer(key, code);
        return Promise.resolve(code);
      }
    }
    let open = this.open.get(key);
    const opening = open === undefined;
    if (!open) {
      open = {
        question: { ...question },
        since: this.clock.now(),
        waiters: new Set(),
        timer: this.clock.setTimeout(() => this.timedOut(key), this.timeoutMs()),
      };
      this.open.set(key, open);
    } else if (question.retryReason && question.retryReason !== open.question.retryReason) {
      // A wrong answer that one more fetch has seen: the one question says so from now on.
      open.question = { ...question };
    }
    const asked = open;
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = { run, resolve, reject, stopListening: noop };
      asked.waiters.add(waiter);
      run.startAsking(key);
      waiter.stopListening = run.onAbort(() => this.leave(asked, waiter));
      if (opening) this.outcomes.opened(key);
      else this.outcomes.waitersChanged();
    });
  }

  /**
   * Answers an open question for every fetch waiting on it. An MFA code that is not one is
   * refused in words, and the question stays open.
   */
  answer(key: string, answer: string): void {
    const open = this.open.get(key);
    if (!open) throw noSuchQuestion(key);
    if (open.question.kind === 'mfa-code' && !mfaCodeSchema.safeParse(answer).success) {
      // The answer is not repeated: whatever was typed by mistake might be a password.
      throw new RolecallError(
        'bad-mfa-code',
        `The answer to “${open.question.prompt}” must be the 6 digits your MFA device shows; the question is still open.`,
        400,
      );
    }
    for (const waiter of this.close(open, 'answered')) waiter.resolve(answer);
  }

  /** Declines an open question: every fetch waiting on it fails, saying nobody answered. */
  dismiss(key: string): void {
    const open = this.open.get(key);
    if (!open) throw noSuchQuestion(key);
    this.fail(open, 'dismissed');
  }

  /**
   * Hands a pre-answer that joined a fetch late (a load with an MFA code, of a profile already
   * renewing) to the MFA question that fetch, or a parent's fetch it waits on, has open.
   */
  offer(run: FetchRun): void {
    const preAnswer = run.preAnswer;
    if (!preAnswer || preAnswer.used) return;
    for (const key of run.asking) {
      if (this.open.get(key)?.question.kind !== 'mfa-code') continue;
      this.answer(key, run.takePreAnswer()!);
      return;
    }
    for (const parent of run.awaiting) {
      if (!parent.run) continue;
      parent.run.join({ preAnswer });
      this.offer(parent.run);
    }
  }

  /** The open question with this key. */
  question(key: string): Question | undefined {
    return this.open.get(key)?.question;
  }

  /** Open questions, oldest first, with who waits for each. */
  views(): InputRequestView[] {
    return [...this.open.values()]
      .sort((a, b) => a.since - b.since)
      .map((open) => ({
        ...open.question,
        waiting: this.outcomes.waitingOn(open.question.key),
        since: new Date(open.since).toISOString(),
      }));
  }

  view(key: string): InputRequestView | undefined {
    return this.views().find((view) => view.key === key);
  }

  private timedOut(key: string): void {
    const open = this.open.get(key);
    if (open) this.fail(open, 'unanswered');
  }

  private fail(open: OpenQuestion, how: 'dismissed' | 'unanswered'): void {
    for (const waiter of this.close(open, how)) {
      waiter.run.needsPerson = waiter.run.entry.profile;
      waiter.reject(this.outcomes.unanswered(waiter.run, open.question, how));
    }
  }

  /** A fetch no longer wants the answer; the last one to leave withdraws the question. */
  private leave(open: OpenQuestion, waiter: Waiter): void {
    if (this.open.get(open.question.key) !== open || !open.waiters.delete(waiter)) return;
    waiter.run.stopAsking(open.question.key);
    waiter.reject(fetchCancelled(waiter.run.entry.profile));
    if (open.waiters.size === 0) this.close(open, 'withdrawn');
    else this.outcomes.waitersChanged();
  }

  /** Ends a question; returns its waiters, for the caller to resolve or reject. */
  private close(open: OpenQuestion, how: QuestionEnd): Waiter[] {
    const { key } = open.question;
    const waiting = this.outcomes.waitingOn(key);
    this.clock.clearTimeout(open.timer);
    this.open.delete(key);
    const waiters = [...open.waiters];
    for (const waiter of waiters) {
      waiter.stopListening();
      waiter.run.stopAsking(key);
    }
    this.outcomes.closed(open.question, how, waiting);
    return waiters;
  }
}

function noSuchQuestion(key: string): RolecallError {
  return new RolecallError(
    'no-such-question',
    `No question with the key ${key} is waiting for an answer; it may have been answered, dismissed or withdrawn already.`,
    404,
  );
}

function noop(): void {}
