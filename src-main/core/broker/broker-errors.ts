import type { Question } from '../../../src-shared/input-request';
import { RolecallError, asSentence, errorMessage } from '../errors';
import { validCredentials, type Entry } from './entry';
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

/**
 * Nothing valid to serve: why, and how to recover. `waitingFor` is the question its renewal
 * waits for, when it waits for a person.
 */
export function unavailableError(entry: Entry, waitingFor?: Question): RolecallError {
  const expiresAt = entry.credentials?.expiresAt;
  const what =
    expiresAt !== undefined
      ? `The credentials for profile ${entry.profile} expired at ${new Date(expiresAt).toISOString()}.`
      : `Profile ${entry.profile} has no valid credentials.`;
  if (waitingFor) {
    return new RolecallError(
      'needs-input',
      `${what} Renewing them waits for an answer to “${waitingFor.prompt}”; answer it, and ask again.`,
      503,
    );
  }
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

/** Unloading a profile no slot holds, which roles loaded elsewhere are made from. */
export function neededByError(profile: string, dependents: string[]): RolecallError {
  const many = dependents.length > 1;
  return new RolecallError(
    'needed-by',
    `Profile ${profile} is in no slot; it stays loaded because ${dependents.join(', ')} ${many ? 'are' : 'is'} made from it. Unload ${many ? 'those' : dependents[0]} to unload it too.`,
    409,
  );
}

export function loadCancelled(profile: string): RolecallError {
  return new RolecallError('load-cancelled', `Loading ${profile} was cancelled.`, 409);
}

/**
 * A renewal whose question was dismissed, or not answered in time: what happened, and what is
 * served meanwhile. Nothing asks again by itself; a load does.
 */
export function unansweredError(
  entry: Entry,
  question: Question,
  how: 'dismissed' | 'unanswered',
  options: { now: number; timeoutMs: number },
): RolecallError {
  const nobody =
    how === 'dismissed'
      ? `Nobody answered “${question.prompt}” (it was dismissed)`
      : `Nobody answered “${question.prompt}” within ${Math.round(options.timeoutMs / 60_000)} minutes`;
  const valid = validCredentials(entry, options.now);
  const meanwhile = !valid
    ? 'nothing is served for it'
    : valid.expiresAt === undefined
      ? 'its current credentials are still served'
      : `its current credentials are served until ${new Date(valid.expiresAt).toISOString()}`;
  return new RolecallError(
    how === 'dismissed' ? 'input-dismissed' : 'input-unanswered',
    `${nobody}, so ${entry.profile} was not renewed; ${meanwhile}, and Rolecall asks again only when a load needs it.`,
    409,
  );
}

export function parentNotLoadable(child: string, parent: string, error: unknown): RolecallError {
  return new RolecallError(
    'parent-not-loadable',
    `Profile ${child} is made from ${parent}, which cannot be loaded: ${asSentence(errorMessage(error))}`,
    409,
    { cause: error },
  );
}

export function parentFailed(child: string, parent: string, error: unknown): RolecallError {
  return new RolecallError(
    'parent-failed',
    `Could not renew ${parent}, which ${child} is made from: ${asSentence(errorMessage(error))}`,
    502,
    { cause: error },
  );
}

export function parentUnavailable(child: string, parent: Entry): RolecallError {
  const cause = parent.lastError ? `: ${asSentence(parent.lastError)}` : '.';
  return new RolecallError(
    'parent-unavailable',
    `${parent.profile}, which ${child} is made from, has no valid credentials${cause}`,
    502,
  );
}

/** A source asked for a profile it did not declare as a parent: a bug in the source. */
export function notAParent(child: string, parent: string): RolecallError {
  return new RolecallError(
    'not-a-parent',
    `The source of ${child} asked for the credentials of ${parent}, which ${child} is not made from.`,
    500,
  );
}
