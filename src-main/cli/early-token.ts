import { existsSync } from 'node:fs';
import { BEARER_TOKEN_ACCOUNT } from '../core/bearer-token';
import { runtimeFilePath } from '../core/paths';
import type { CliContext } from './context';

/**
 * A context whose first read of the bearer token was started now. Reading it is a round trip to
 * the keychain (over D-Bus on Linux) that runs off the main thread, so started first it overlaps
 * loading the command's code and finding the server, instead of following them. Only when a
 * server has announced itself: with none running, the keychain is not touched, as before.
 */
export function withTokenReadEarly(ctx: CliContext): CliContext {
  if (!existsSync(runtimeFilePath(ctx.home))) return ctx;
  let early: Promise<string | null> | undefined = ctx.secrets.get(BEARER_TOKEN_ACCOUNT);
  // Not every command gets as far as reading it (no server after all); its failure is told by the
  // read that uses it, never as an unhandled rejection.
  early.catch(() => {});
  const { secrets } = ctx;
  return {
    ...ctx,
    secrets: {
      ...secrets,
      get: (account) => {
        if (account !== BEARER_TOKEN_ACCOUNT || !early) return secrets.get(account);
        const read = early;
        early = undefined;
        return read;
      },
    },
  };
}
