import { describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials } from '../../../test/helpers/fake-source';
import type { PersistedLayout } from './persistence';
import { defaultRefreshPolicy } from './refresh-policy';
import { restoredEntries } from './restore';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const HOUR = 3_600_000;

function layoutOf(profiles: PersistedLayout['profiles']): PersistedLayout {
  return { version: 2, defaultProfile: null, slots: [], profiles };
}

describe('restoredEntries', () => {
  const options = { policy: defaultRefreshPolicy, now: NOW, random: () => 0 };

  it('plans valid credentials on their schedule, and expired or missing ones at once', () => {
    const valid = fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') });
    const expired = fakeCredentials({ expiresAt: NOW - HOUR });
    const entries = restoredEntries(
      layoutOf({
        valid: { refreshable: true },
        expired: { refreshable: true },
        missing: { refreshable: true },
      }),
      [
        { source: new FakeSource('valid') },
        { source: new FakeSource('expired') },
        { source: new FakeSource('missing') },
      ],
      [
        { credentials: valid, obtainedAt: Date.parse('2026-01-01T00:00:00Z'), refreshCount: 3 },
        { credentials: expired, obtainedAt: NOW - 2 * HOUR, refreshCount: 1 },
        null,
      ],
      options,
    );
    expect(
      entries.map((entry) => [
        entry.profile,
        entry.nextRefreshAt && new Date(entry.nextRefreshAt).toISOString(),
        entry.refreshCount,
      ]),
    ).toEqual([
      ['valid', '2026-01-01T00:40:00.000Z', 3],
      ['expired', '2026-01-01T00:10:00.000Z', 1],
      ['missing', '2026-01-01T00:10:00.000Z', 0],
    ]);
  });

  it('keeps per-profile policy, and serves what a profile that left the config still holds', () => {
    const kept = fakeCredentials({ expiresAt: NOW + HOUR });
    const [entry, ...rest] = restoredEntries(
      layoutOf({
        gone: { refreshable: true, policy: { everyMs: 600_000 } },
        'gone-too': { refreshable: true },
        pushed: { refreshable: false },
      }),
      [{ error: 'Profile gone is not in the AWS config.' }, { error: 'not in the config' }, null],
      [{ credentials: kept, obtainedAt: NOW, refreshCount: 1 }, null, null],
      options,
    );
    expect(entry).toMatchObject({
      profile: 'gone',
      source: null,
      credentials: kept,
      sourceError: 'Profile gone is not in the AWS config.',
      lastError: 'Profile gone is not in the AWS config.',
      overrides: { everyMs: 600_000 },
      policy: { everyMs: 600_000 },
      nextRefreshAt: null,
    });
    // Nothing to serve and no way to renew: nothing to restore.
    expect(rest).toEqual([]);
  });
});
