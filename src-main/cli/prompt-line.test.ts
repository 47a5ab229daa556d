import { describe, expect, it } from 'vitest';
import type { EntryView, Snapshot } from '../../src-shared/snapshot';
import { defaultSlotIn, promptLine as promptLineOf, shortTimeLeft } from './prompt-line';

/** The line for a snapshot, as an older server's snapshot is shown. */
const promptLine = (snapshot: Snapshot, now: number) => promptLineOf(defaultSlotIn(snapshot), now);

const NOW = Date.parse('2030-01-01T12:00:00Z');

function entry(overrides: Partial<EntryView> = {}): EntryView {
  return {
    profile: 'prod',
    state: 'fresh',
    expiresAt: new Date(NOW + 42 * 60_000 + 30_000).toISOString(),
    refreshedAt: null,
    nextRefreshAt: null,
    lastError: null,
    refreshCount: 1,
    refreshable: true,
    ...overrides,
  };
}

function snapshot(defaultProfile: string | null, ...entries: EntryView[]): Snapshot {
  return { defaultProfile, slots: [], entries };
}

describe('promptLine', () => {
  it("is the default slot's profile and time left", () => {
    expect(promptLine(snapshot('prod', entry()), NOW)).toBe('prod 42m');
  });

  it('is empty when the default slot is', () => {
    expect(promptLine(snapshot(null, entry()), NOW)).toBe('');
  });

  it('is about the default slot only, not a profile in a slot of its own', () => {
    const dev = entry({ profile: 'dev', expiresAt: new Date(NOW + 3 * 3_600_000).toISOString() });
    expect(promptLine({ ...snapshot('dev', dev, entry()), slots: ['prod'] }, NOW)).toBe(
      'dev 3h00m',
    );
  });

  it('is the profile alone while it loads into the default slot', () => {
    expect(promptLine(snapshot('prod'), NOW)).toBe('prod');
    expect(promptLineOf({ profile: 'prod', expiresAt: null, state: null }, NOW)).toBe('prod');
  });

  it('is the profile alone for credentials that do not expire', () => {
    expect(promptLine(snapshot('prod', entry({ expiresAt: null })), NOW)).toBe('prod');
  });

  it.each([
    ['needs-input', 'prod 42m waiting'],
    ['stale', 'prod 42m failing'],
    ['failed', 'prod 42m failing'],
    ['refreshing', 'prod 42m'],
  ] as const)('adds a word when the profile is %s', (state, line) => {
    expect(promptLine(snapshot('prod', entry({ state })), NOW)).toBe(line);
  });

  it('says expired once, however the state puts it', () => {
    const past = new Date(NOW - 1000).toISOString();
    expect(promptLine(snapshot('prod', entry({ state: 'expired', expiresAt: past })), NOW)).toBe(
      'prod expired',
    );
    expect(promptLine(snapshot('prod', entry({ state: 'failed', expiresAt: past })), NOW)).toBe(
      'prod expired',
    );
  });
});

describe('shortTimeLeft', () => {
  it.each([
    [0, 'expired'],
    [-5_000, 'expired'],
    [999, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [59 * 60_000 + 59_999, '59m'],
    [3_600_000, '1h00m'],
    [3_600_000 + 5 * 60_000, '1h05m'],
    [23 * 3_600_000 + 59 * 60_000, '23h59m'],
    [26 * 3_600_000, '1d2h'],
  ])('%i ms is %s', (ms, text) => {
    expect(shortTimeLeft(ms)).toBe(text);
  });
});
