import { RolecallError, asSentence } from '../errors';
import type { Entry } from './entry';
import type { SlotRef } from './slot-table';

/** The broker's refusals, each a sentence that says what happened and what to do. */

export function emptySlotError(slot: SlotRef): RolecallError {
  return slot.kind === 'default'
    ? new RolecallError(
        'slot-empty',
        'No profile is loaded in the default slot. Load one with `rolecall load <profile>`.',
        404,
      )
    : new RolecallError(
        'slot-empty',
        `Profile ${slot.profile} is not loaded in a slot. Load it with \`rolecall load ${slot.profile} --slot\`.`,
        404,
      );
}

export function notLoaded(profile: string): RolecallError {
  return new RolecallError('not-loaded', `Profile ${profile} is not loaded.`, 404);
}

/** Nothing valid to serve: why, and how to recover. */
export function unavailableError(entry: Entry): RolecallError {
  const expiresAt = entry.credentials?.expiresAt;
  const what =
    expiresAt !== undefined
      ? `The credentials for profile ${entry.profile} expired at ${new Date(expiresAt).toISOString()}.`
      : `Profile ${entry.profile} has no valid credentials.`;
  const cause = entry.lastError ? ` Renewing them failed: ${asSentence(entry.lastError)}` : '';
  const fix = entry.source
    ? ` Fix the cause, then run \`rolecall load ${entry.profile}\`.`
    : ` They were pushed over the API and cannot be renewed; push new ones or load the profile with \`rolecall load ${entry.profile}\`.`;
  return new RolecallError('credentials-expired', `${what}${cause}${fix}`, 503);
}

export function notRefreshable(entry: Entry): RolecallError {
  return new RolecallError(
    'not-refreshable',
    entry.sourceError ?? `Profile ${entry.profile} has no source to renew its credentials from.`,
    409,
  );
}

export function unloadedWhileLoading(profile: string): RolecallError {
  return new RolecallError(
    'unloaded-while-loading',
    `Profile ${profile} was unloaded while it was loading, so it is not served. Load it again if you still need it.`,
    409,
  );
}

export function loadCancelled(profile: string): RolecallError {
  return new RolecallError('load-cancelled', `Loading ${profile} was cancelled.`, 409);
}
