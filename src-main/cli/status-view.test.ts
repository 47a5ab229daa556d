import { describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../src-shared/server-info';
import { emptySnapshot, type Snapshot } from '../../src-shared/snapshot';
import { formatStatus } from './status-view';

const info: ServerInfo = {
  url: 'http://127.0.0.1:4144/',
  host: '127.0.0.1',
  port: 4144,
  tls: false,
  pid: 42,
  version: '0.1.0',
  startedAt: '2026-01-01T00:00:00.000Z',
};
const now = Date.parse('2026-01-01T12:00:00Z');

describe('formatStatus', () => {
  it('says how to load something when nothing is loaded', () => {
    expect(formatStatus(info, emptySnapshot, now)).toBe(
      'Rolecall 0.1.0 serving http://127.0.0.1:4144/ (pid 42)\n' +
        'No profile is loaded. Load one with `rolecall load <profile>` (see `rolecall profiles`).\n',
    );
  });

  it('lists the default slot first, then named slots, with time left and last errors', () => {
    const snapshot: Snapshot = {
      defaultProfile: 'dev',
      slots: ['prod'],
      entries: [
        {
          profile: 'dev',
          state: 'fresh',
          expiresAt: '2026-01-01T13:05:00.000Z',
          refreshedAt: null,
          nextRefreshAt: null,
          lastError: null,
          refreshCount: 1,
          refreshable: true,
        },
        {
          profile: 'prod',
          state: 'expired',
          expiresAt: '2026-01-01T11:00:00.000Z',
          refreshedAt: null,
          nextRefreshAt: null,
          lastError: 'credential_process for profile prod exited with code 1',
          refreshCount: 1,
          refreshable: true,
        },
      ],
    };
    const text = formatStatus(info, snapshot, now);
    expect(text.split('\n').slice(2, 5)).toEqual([
      'SLOT        PROFILE  STATE    EXPIRES IN  EXPIRES AT                NEXT REFRESH',
      'default     dev      fresh    1h 05m      2026-01-01T13:05:00.000Z  -',
      '/slot/prod  prod     expired  expired     2026-01-01T11:00:00.000Z  -',
    ]);
    expect(text).toContain(
      'Last errors:\n  prod: credential_process for profile prod exited with code 1\n',
    );
  });

  it('shows loads still waiting for their source, with how long they have been running', () => {
    const snapshot: Snapshot = {
      defaultProfile: null,
      slots: [],
      entries: [],
      loading: [{ profile: 'slow', slot: 'named', startedAt: '2026-01-01T11:59:48.000Z' }],
    };
    expect(formatStatus(info, snapshot, now).split('\n').slice(2, 4)).toEqual([
      'SLOT        PROFILE  STATE            EXPIRES IN  EXPIRES AT  NEXT REFRESH',
      '/slot/slow  slow     loading for 12s  -           -           -',
    ]);
  });

  it('warns when the slots will not survive a restart', () => {
    const text = formatStatus(info, { ...emptySnapshot, notSaved: 'Could not save (test).' }, now);
    expect(text).toContain('No profile is loaded.');
    expect(text.endsWith('\nWarning: Could not save (test).\n')).toBe(true);
  });
});

describe('formatStatus slot paths', () => {
  it('shows a named slot at the escaped path a client asks', () => {
    const snapshot: Snapshot = { defaultProfile: null, slots: ['Prod/Admin'], entries: [] };
    expect(formatStatus(info, snapshot, now)).toContain(
      '\n/slot/Prod%2FAdmin  Prod/Admin  unknown',
    );
  });
});
