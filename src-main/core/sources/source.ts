import type { AwsCredentials } from '../credentials';
import { RolecallError } from '../errors';

/**
 * One way of getting credentials for one profile. Only the broker calls `fetch`; a source never
 * caches, schedules or retries — that policy lives in the broker.
 */
export interface CredentialSource {
  readonly profile: string;
  fetch(context?: FetchContext): Promise<AwsCredentials>;
}

/** What the broker hands a source with each fetch. */
export interface FetchContext {
  /**
   * Aborted when nobody wants this fetch's result any more (the load was cancelled or the profile
   * unloaded). A source that can stop early (kill its process, drop its request) should.
   */
  signal: AbortSignal;
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
  | 'cancelled';

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
