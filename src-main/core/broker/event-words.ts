import { asSentence } from '../errors';
import type { BrokerEvents } from './announcements';

type Described = 'refreshed' | 'refresh-failed' | 'expiring-soon' | 'expired';

const at = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * The broker's announcements in words, as `rolecall serve` logs them: each says what happened and
 * what will happen next, and only what really will.
 */
export const brokerEventWords: { [K in Described]: (...event: BrokerEvents[K]) => string } = {
  refreshed: ({ profile, expiresAt }) =>
    `Renewed ${profile}; ${expiresAt === null ? 'the credentials do not expire' : `valid until ${at(expiresAt)}`}.`,
  'refresh-failed': ({ profile, error, nextAttemptAt, stillServing, expiresAt }) => {
    if (nextAttemptAt === null) {
      return `Loading ${profile} failed: ${asSentence(error)} It will not be retried: run \`rolecall load ${profile}\` again once the cause is fixed.`;
    }
    const meanwhile = !stillServing
      ? `nothing is served for ${profile} until a renewal succeeds`
      : expiresAt === null
        ? 'the current credentials are still served'
        : `the current credentials are served until ${at(expiresAt)}`;
    return `Renewing ${profile} failed: ${asSentence(error)} Next attempt at ${at(nextAttemptAt)}; ${meanwhile}.`;
  },
  'expiring-soon': ({ profile, expiresAt }) =>
    `The credentials of ${profile} expire at ${at(expiresAt)} and cannot be renewed yet.`,
  expired: ({ profile }) => `The credentials of ${profile} have expired.`,
};
