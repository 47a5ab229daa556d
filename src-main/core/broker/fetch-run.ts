import type { Question } from '../../../src-shared/input-request';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';
import type { FetchContext } from '../sources/source';
import type { Entry } from './entry';
import type { FetchDeadline } from './fetch-deadline';

/** What a fetch reaches through its context; the broker's rooms answer. */
export interface FetchServices {
  /** A parent's current valid credentials, renewing the parent first when it needs that. */
  parent(run: FetchRun, profile: string): Promise<AwsCredentials>;
  /** Asks a person; every fetch asking the same key shares one question. */
  ask(run: FetchRun, question: Question): Promise<string>;
}

/**
 * An MFA code given with a load (`rolecall load --mfa-code`). It answers the first MFA question
 * that load's fetch asks, its parents' included, and no other.
 */
export interface PreAnswer {
  readonly code: string;
  used: boolean;
}

/** What a caller adds to the renewal it starts or joins. */
export interface RenewalRequest {
  /** A person asked for it (a load or reload), so a parent nobody answered for is asked again. */
  explicit?: boolean;
  preAnswer?: PreAnswer;
}

/**
 * One fetch of one entry, and the context its source gets: an abort signal (made only when a
 * source asks for it: an AbortController costs tens of microseconds, more than the rest of a
 * renewal, and most sources never look), its parents' credentials, and people to ask. It keeps
 * what the fetch is waiting for, which is what makes its entry `needs-input`.
 */
export class FetchRun implements FetchContext {
  private controller: AbortController | null = null;
  private aborted = false;
  private abortListeners: Set<() => void> | null = null;
  private askingKeys: Set<string> | null = null;
  private awaitingParents: Set<Entry> | null = null;
  /** The fetch's time-out, held while it waits for a person or a parent. */
  deadline: FetchDeadline | null = null;
  explicit: boolean;
  preAnswer: PreAnswer | null;
  /**
   * Whose question nobody answered, when this fetch failed for want of a person (its own
   * profile's, or a parent's up its chain): it is then not retried on a timer.
   */
  needsPerson: string | null = null;

  constructor(
    readonly entry: Entry,
    private readonly services: FetchServices | null,
    request: RenewalRequest = {},
  ) {
    this.explicit = request.explicit ?? false;
    this.preAnswer = request.preAnswer ?? null;
  }

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.aborted) this.controller.abort();
    return this.controller.signal;
  }

  get isAborted(): boolean {
    return this.aborted;
  }

  /** Nobody wants this fetch's result any more: the source is told, and its waits end. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.controller?.abort();
    const listeners = this.abortListeners;
    this.abortListeners = null;
    for (const listener of listeners ?? []) listener();
  }

  /** Calls `listener` once when the fetch is aborted; returns what stops listening. */
  onAbort(listener: () => void): () => void {
    if (this.aborted) {
      listener();
      return noop;
    }
    (this.abortListeners ??= new Set()).add(listener);
    return () => this.abortListeners?.delete(listener);
  }

  parent(profile: string): Promise<AwsCredentials> {
    const services = this.services;
    if (!services) return Promise.reject(notWired(`use ${profile} as a parent`));
    return this.waitFor(() => services.parent(this, profile));
  }

  ask(question: Question): Promise<string> {
    const services = this.services;
    if (!services) return Promise.reject(notWired(`ask: ${question.prompt}`));
    return this.waitFor(() => services.ask(this, question));
  }

  /** Another caller joins this fetch, with what it brings. */
  join(request: RenewalRequest): void {
    if (request.explicit) this.explicit = true;
    if (request.preAnswer && (!this.preAnswer || this.preAnswer.used)) {
      this.preAnswer = request.preAnswer;
    }
  }

  /** The pre-answer's code, once; null when there is none or it was used. */
  takePreAnswer(): string | null {
    const preAnswer = this.preAnswer;
    if (!preAnswer || preAnswer.used) return null;
    preAnswer.used = true;
    return preAnswer.code;
  }

  startAsking(key: string): void {
    (this.askingKeys ??= new Set()).add(key);
  }

  stopAsking(key: string): void {
    this.askingKeys?.delete(key);
  }

  startAwaiting(parent: Entry): void {
    (this.awaitingParents ??= new Set()).add(parent);
  }

  stopAwaiting(parent: Entry): void {
    this.awaitingParents?.delete(parent);
  }

  /** Keys of the questions this fetch itself waits for. */
  get asking(): ReadonlySet<string> {
    return this.askingKeys ?? emptyKeys;
  }

  /** Parents whose renewal this fetch waits for. */
  get awaiting(): ReadonlySet<Entry> {
    return this.awaitingParents ?? emptyEntries;
  }

  /** The key of a question this fetch waits for, itself or through a parent; null when none. */
  waitingFor(): string | null {
    for (const key of this.asking) return key;
    for (const parent of this.awaiting) {
      const key = parent.run?.waitingFor();
      if (key) return key;
    }
    return null;
  }

  /** Whether this fetch waits for the question `key`, itself or through a parent. */
  waitsFor(key: string): boolean {
    if (this.asking.has(key)) return true;
    for (const parent of this.awaiting) if (parent.run?.waitsFor(key)) return true;
    return false;
  }

  /**
   * Waits for `work` with the time-out held (a person or a parent has its own bound), and stops
   * waiting when the fetch is aborted.
   */
  private async waitFor<T>(work: () => Promise<T>): Promise<T> {
    if (this.aborted) throw fetchCancelled(this.entry.profile);
    let stopListening = noop;
    const cancelled = new Promise<never>((_, reject) => {
      stopListening = this.onAbort(() => reject(fetchCancelled(this.entry.profile)));
    });
    this.deadline?.hold();
    try {
      return await Promise.race([work(), cancelled]);
    } finally {
      stopListening();
      this.deadline?.release();
    }
  }
}

const emptyKeys: ReadonlySet<string> = new Set();
const emptyEntries: ReadonlySet<Entry> = new Set();

export function fetchCancelled(profile: string): RolecallError {
  return new RolecallError(
    'fetch-cancelled',
    `Nothing wants the credentials of ${profile} any more, so getting them was stopped.`,
    409,
  );
}

function notWired(what: string): RolecallError {
  return new RolecallError('not-wired', `This fetch cannot ${what}.`, 501);
}

function noop(): void {}
