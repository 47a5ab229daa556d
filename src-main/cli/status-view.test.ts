import { describe, expect, it } from 'vitest';
import type { ServerInfo } from '../../src-shared/server-info';
import { emptySnapshot, type EntryView, type Snapshot } from '../../src-shared/snapshot';
import { entryView, mfaQuestion, signInQuestion } from '../../src-shared/testing/views';
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
        entryView('dev', { expiresAt: '2026-01-01T13:05:00.000Z' }),
        entryView('prod', {
          state: 'expired',
          expiresAt: '2026-01-01T11:00:00.000Z',
          lastError: 'credential_process for profile prod exited with code 1',
        }),
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

describe('formatStatus questions', () => {
  const waitingEntry = (profile: string, more: Partial<EntryView> = {}): EntryView =>
    entryView(profile, { state: 'needs-input', expiresAt: '2026-01-01T12:10:00.000Z', ...more });
  const snapshot: Snapshot = {
    defaultProfile: 'admin',
    slots: ['dev'],
    entries: [
      waitingEntry('admin', { state: 'refreshing', parents: ['base'] }),
      waitingEntry('base', { waitingFor: mfaQuestion().key }),
      waitingEntry('dev', { waitingFor: 'sso:my corp' }),
    ],
    inputRequests: [
      mfaQuestion({ retryReason: 'AWS refused the code.', since: '2026-01-01T11:55:00.000Z' }),
      signInQuestion({
        key: 'sso:my corp',
        prompt: 'Sign in again to my corp',
        ssoSession: 'my corp',
        waiting: ['dev'],
        since: '2026-01-01T11:59:30.000Z',
      }),
    ],
  };

  it('shows needs-input rows, then each question with who waits and the command that answers it', () => {
    const text = formatStatus(info, snapshot, now);
    expect(text).toContain('\n/slot/dev  dev      needs-input  10m 00s');
    expect(text).toContain(
      '\nWaiting for you:\n' +
        '  MFA code needed for arn:aws:iam::123456789012:mfa/alice, for base and admin (through base); asked 5m 00s ago.\n' +
        '    Asked again: AWS refused the code.\n' +
        "    Answer with `rolecall answer base` (or in Rolecall's window).\n" +
        '  Sign in again to my corp, for dev; asked 30s ago.\n' +
        "    Sign in with `rolecall login 'my corp'` (or from Rolecall's window); the profiles waiting go on once you have.\n",
    );
  });

  it('shows questions when no slot is filled yet (a first load waiting for its code)', () => {
    const first: Snapshot = {
      defaultProfile: null,
      slots: [],
      entries: [],
      inputRequests: [{ ...snapshot.inputRequests![0]!, retryReason: undefined, waiting: [] }],
    };
    const text = formatStatus(info, first, now);
    expect(text).toContain('No profile is loaded.');
    expect(text).toContain(
      'for no loaded profile; asked 5m 00s ago.\n' +
        "    Answer with `rolecall answer mfa:arn:aws:iam::123456789012:mfa/alice` (or in Rolecall's window).\n",
    );
  });
});
