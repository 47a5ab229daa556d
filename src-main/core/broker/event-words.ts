import { asSentence } from '../errors';
import type { BrokerEvents } from './announcements';

type Described =
  'refreshed' | 'refresh-failed' | 'expiring-soon' | 'expired' | 'input-required' | 'input-ended';

const at = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * The broker's announcements in words, as `rolecall serve` logs them: each says what happened and
 * what will happen next, and only what really will.
 */
export const brokerEventWords: { [K in Described]: (...event: BrokerEvents[K]) => string } = {
  refreshed: ({ profile, expiresAt }) =>
    `Renewed ${profile}; ${expiresAt === null ? 'the credentials do not expire' : `valid until ${at(expiresAt)}`}.`,
  'refresh-failed': ({ profile, error, nextAttemptAt, stillServing, expiresAt, needsPerson }) => {
    if (needsPerson) {
      const meanwhile = !stillServing
        ? `nothing is served for ${profile}`
        : expiresAt === null
          ? 'the current credentials are still served'
          : `the current credentials are served until ${at(expiresAt)}`;
      return `Renewing ${profile} failed for want of an answer: ${asSentence(error)} It is not tried again by itself; ${meanwhile}.`;
    }
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
  'input-required': ({ prompt, retryReason, waiting }) =>
    `${retryReason ? `${asSentence(retryReason)} ` : ''}Renewing ${listed(waiting)} waits for an answer to “${prompt}”; what is valid is served meanwhile.`,
  'input-ended': ({ prompt, outcome, waiting }) => {
    switch (outcome) {
      case 'answered':
        return `“${prompt}” was answered.`;
      case 'dismissed':
        return `“${prompt}” was dismissed; ${listed(waiting)} will not be renewed until a load needs ${waiting.length > 1 ? 'them' : 'it'}.`;
      case 'unanswered':
        return `Nobody answered “${prompt}” in time; ${listed(waiting)} will not be renewed until a load needs ${waiting.length > 1 ? 'them' : 'it'}.`;
      case 'withdrawn':
        return `“${prompt}” is no longer asked: nothing waits for its answer any more.`;
    }
  },
};

/** "a", "a and b", "a, b and c". */
function listed(profiles: readonly string[]): string {
  if (profiles.length === 0) return 'nothing';
  if (profiles.length === 1) return profiles[0]!;
  return `${profiles.slice(0, -1).join(', ')} and ${profiles[profiles.length - 1]}`;
}
