import type { EntryState, Snapshot } from '../../src-shared/snapshot';
import type { DefaultSlotSummary } from '../core/runtime/instance-holder';

/**
 * What `rolecall status --prompt` prints: the default slot's profile and how long its credentials
 * last, short enough for a shell prompt (`prod 42m`, `prod 1h05m`), with one word when the
 * profile needs attention. Empty when the default slot is.
 */
export function promptLine(slot: DefaultSlotSummary | null, now: number): string {
  if (slot === null) return '';
  const parts = [slot.profile];
  if (slot.expiresAt !== null) parts.push(shortTimeLeft(Date.parse(slot.expiresAt) - now));
  const attention = slot.state === null ? undefined : ATTENTION[slot.state];
  if (attention && parts.at(-1) !== 'expired') parts.push(attention);
  return parts.join(' ');
}

/** The default slot as a snapshot shows it, in the shape the instance lock tells it. */
export function defaultSlotIn(snapshot: Snapshot): DefaultSlotSummary | null {
  const profile = snapshot.defaultProfile;
  if (profile === null) return null;
  const entry = snapshot.entries.find((each) => each.profile === profile);
  return entry
    ? { profile, expiresAt: entry.expiresAt, state: entry.state }
    : { profile, expiresAt: null, state: null };
}

/** A word for the states a person should notice; fresh and refreshing need none. */
const ATTENTION: Partial<Record<EntryState, string>> = {
  // Renewing waits for an answer (an MFA code, a sign-in): `rolecall status` says which.
  'needs-input': 'waiting',
  // Renewing fails; what is held is served until it expires.
  stale: 'failing',
  failed: 'failing',
  expired: 'expired',
};

/** "2d3h", "1h05m", "42m", "30s", "expired": no seconds once there are minutes, no spaces. */
export function shortTimeLeft(milliseconds: number): string {
  if (milliseconds <= 0) return 'expired';
  const minutes = Math.floor(milliseconds / 60_000);
  if (minutes === 0) return `${Math.floor(milliseconds / 1000)}s`;
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes}m`;
  const days = Math.floor(hours / 24);
  if (days === 0) return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${days}d${hours % 24}h`;
}
