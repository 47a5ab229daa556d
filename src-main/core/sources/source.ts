import type { Question } from '../../../src-shared/input-request';
import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';

/**
 * One way of getting credentials for one profile. Only the broker calls `fetch`; a source never
 * caches, schedules or retries — that policy lives in the broker.
 */
export interface CredentialSource {
  readonly profile: string;
  /**
   * The profiles whose credentials this source is made from, nearest first (an assumed role's
   * source_profile). The broker holds each as an entry of its own — cached, renewed, persisted and
   * shown like any other — and hands its current credentials over through `FetchContext.parent`;
   * a source never runs a parent's source itself. Absent or empty: made from nothing Rolecall holds.
   */
  readonly parents?: readonly string[];
  fetch(context?: FetchContext): Promise<AwsCredentials>;
}

/** What the broker hands a source with each fetch. */
export interface FetchContext {
  /**
   * Aborted when nobody wants this fetch's result any more (the load was cancelled or the profile
   * unloaded). A source that can stop early (kill its process, drop its request) should.
   */
  signal: AbortSignal;
  /**
   * The current valid credentials of one of this source's `parents`, renewed first when they need
   * it — shared with every other entry made from that parent, so a still-valid parent is reused
   * rather than fetched again. Rejects with the parent's failure, in words that name the parent.
   */
  parent(profile: string): Promise<AwsCredentials>;
  /**
   * Asks a person and resolves with the answer (for a `sign-in`, once the sign-in is done). Every
   * fetch asking the same `key` shares one prompt and one answer; the entry is `needs-input`
   * meanwhile. Rejects when the question is dismissed or nobody wants the fetch any more. A source
   * that was given a wrong answer asks again with `retryReason` set — never in a loop of its own.
   */
  ask(question: Question): Promise<string>;
}

/** Why a source failed, for callers that react differently (e.g. back off vs. ask to sign in). */
export type SourceFailure =
  | 'not-found'
  | 'not-loadable'
  | 'spawn-failed'
  | 'exit'
  | 'timeout'
  | 'output-too-large'
  | 'bad-output'
  | 'sign-in-required'
  | 'denied'
  | 'throttled'
  | 'unreachable'
  | 'cancelled'
  | 'needs-input';

export class SourceError extends RolecallError {
  constructor(
    readonly profile: string,
    readonly failure: SourceFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    // 502: the upstream that produces credentials misbehaved; a 404 means no such profile.
    super(`source-${failure}`, message, failure === 'not-found' ? 404 : 502, options);
    this.name = 'SourceError';
  }
}
