import type { LoadAnswer } from '../../src-shared/snapshot';
import type { ServerClient } from './client';
import type { CliContext } from './context';
import { abortOnInterrupt, onProcessInterrupt } from './interrupt';
import { withProfileSuggestion } from './profile-check';
import { whileAnswering } from './while-answering';

export interface LoadRequest {
  profile: string;
  /** Into the profile's own slot (`/slot/<profile>`) rather than the default slot. */
  slot: boolean;
  refreshEverySeconds?: number;
  mfaCode?: string;
  /** Credentials a slot already holds for the profile fill this one too (see the API). */
  reuseHeld?: boolean;
  /**
   * The command that loads it again with `--mfa-code`, for the hint shown where nobody can type
   * a code; none: no such hint.
   */
  retryCommand?: string;
}

/**
 * Loads a profile as `rolecall load` does: this terminal answers the questions the profile (or
 * its chain) waits on while the load runs, Ctrl-C cancels it (exit 130), and a name that is no
 * profile gets the nearest one.
 */
export function loadAnswering(
  ctx: CliContext,
  client: ServerClient,
  request: LoadRequest,
): Promise<LoadAnswer> {
  const { profile, slot, refreshEverySeconds, mfaCode, reuseHeld, retryCommand } = request;
  return callAnswering(
    ctx,
    client,
    {
      profile,
      cancelled: `Cancelled loading ${profile}.`,
      mfaCodeGiven: mfaCode !== undefined,
      ...(retryCommand !== undefined && { retryCommand }),
    },
    (signal) =>
      client.call(
        'loadProfile',
        {
          profile,
          slot,
          ...(refreshEverySeconds !== undefined && { refreshEverySeconds }),
          ...(mfaCode !== undefined && { mfaCode }),
          ...(reuseHeld && { reuseHeld }),
        },
        { signal },
      ),
  );
}

export interface AnsweringCall {
  /** The profile the call needs, whose questions this terminal answers. */
  profile: string;
  /** What Ctrl-C prints before the command exits 130. */
  cancelled: string;
  /** A code was given on the command line: a refusal ends the command instead of asking. */
  mfaCodeGiven: boolean;
  retryCommand?: string;
}

/**
 * Runs a server call that may wait on a person (a load, a console sign-in): stdin's terminal
 * answers what the profile waits on meanwhile, Ctrl-C cancels the call, and a name that is no
 * profile gets the nearest one.
 */
export function callAnswering<T>(
  ctx: CliContext,
  client: ServerClient,
  door: AnsweringCall,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const { profile, cancelled, mfaCodeGiven, retryCommand } = door;
  return abortOnInterrupt(ctx.onInterrupt ?? onProcessInterrupt, cancelled, (signal, stop) =>
    whileAnswering(
      ctx,
      client,
      {
        profile,
        askOn: 'stdin',
        mfaCodeGiven,
        ...(retryCommand !== undefined && { retryCommand }),
      },
      stop,
      () => call(signal),
    ),
  ).catch((error: unknown) => withProfileSuggestion(client, profile, error));
}
