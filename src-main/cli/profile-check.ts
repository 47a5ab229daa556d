import { shQuote } from '../core/env-format';
import { RolecallError } from '../core/errors';
import type { ServerClient } from './client';
import { closestName } from './closest-name';

/**
 * Checks, with the running server, that `profile` has a slot of its own, so `rolecall env
 * --profile` never prints a URL that answers 404. Says what to do when it has not.
 */
export async function requireOwnSlot(client: ServerClient, profile: string): Promise<void> {
  const snapshot = await client.call('getSnapshot');
  if (snapshot.slots.includes(profile)) return;
  const names = (await client.call('listProfiles')).map((known) => known.name);
  if (!names.includes(profile)) {
    throw new RolecallError('unknown-profile', unknownProfileSentence(profile, names), 404);
  }
  const load = `\`rolecall load ${shellWord(profile)} --slot\``;
  throw new RolecallError(
    'no-slot',
    snapshot.defaultProfile === profile
      ? `${profile} is served from the default slot, not from a slot of its own: load it there with ${load}, or leave out --profile to use the default slot.`
      : `${profile} is not loaded into a slot of its own; load it with ${load} first.`,
    404,
  );
}

/**
 * A load that failed with 404 because the profile does not exist gets the nearest existing
 * name; any other failure is passed on as it was.
 */
export async function withProfileSuggestion(
  client: ServerClient,
  profile: string,
  error: unknown,
): Promise<never> {
  if (!(error instanceof RolecallError) || error.status !== 404) throw error;
  const names = (await client.call('listProfiles').catch(() => [])).map((known) => known.name);
  if (names.includes(profile)) throw error;
  const meant = closestName(profile, names);
  throw meant
    ? new RolecallError(error.code, `${error.message} Did you mean ${meant}?`, error.status, {
        cause: error,
      })
    : error;
}

function unknownProfileSentence(profile: string, names: readonly string[]): string {
  const meant = closestName(profile, names);
  return meant
    ? `There is no profile named ${profile}; did you mean ${meant}?`
    : `There is no profile named ${profile}; \`rolecall profiles\` lists the ones Rolecall can find.`;
}

/** A name as it can be pasted into a shell: bare when that is safe, else quoted. */
function shellWord(name: string): string {
  return /^[\w@%+=:,./-]+$/.test(name) ? name : shQuote(name);
}
