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
  return abortOnInterrupt(
    ctx.onInterrupt ?? onProcessInterrupt,
    `Cancelled loading ${profile}.`,
    (signal, stop) =>
      whileAnswering(
        ctx,
        client,
        {
          profile,
          askOn: 'stdin',
          mfaCodeGiven: mfaCode !== undefined,
          ...(retryCommand !== undefined && { retryCommand }),
        },
        stop,
        () =>
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
      ),
  ).catch((error: unknown) => withProfileSuggestion(client, profile, error));
}
