import { describe, expect, it } from 'vitest';
import type { SsoSessionView } from '../../src-shared/sso-session';
import { formatSessionStatus } from './session-status-view';

const now = Date.parse('2026-01-01T12:00:00Z');
const base = { startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1' };

describe('formatSessionStatus', () => {
  it('shows nothing when no IAM Identity Center session is configured', () => {
    expect(formatSessionStatus([], now)).toBe('');
  });

  it('shows each session, whether it is signed in and when its sign-in ends', () => {
    const sessions: SsoSessionView[] = [
      {
        ...base,
        name: 'corp',
        signedIn: true,
        renewable: true,
        expiresAt: '2026-01-01T19:30:00.000Z',
      },
      { ...base, name: 'lab', signedIn: true, expiresAt: '2026-01-01T12:20:00.000Z' },
      { ...base, name: 'old', signedIn: false, expiresAt: '2025-12-31T12:00:00.000Z' },
      {
        ...base,
        name: 'new',
        signedIn: false,
        expiresAt: null,
        signingIn: true,
        signIn: {
          session: 'new',
          flow: 'device',
          startedBy: 'terminal',
          userCode: 'ABCD-EFGH',
          verificationUri: 'https://device.sso.eu-west-1.amazonaws.com/',
        },
      },
    ];
    expect(formatSessionStatus(sessions, now)).toBe(
      [
        '',
        'IAM Identity Center',
        'SESSION  STATE                 ENDS IN  ENDS AT',
        'corp     signed in, renewable  7h 30m   2026-01-01T19:30:00.000Z',
        'lab      signed in             20m 00s  2026-01-01T12:20:00.000Z',
        'old      not signed in         -        -',
        'new      signing in            -        -',
        'old: sign in with `rolecall login old`.',
        'new: a sign-in is waiting for the code ABCD-EFGH at https://device.sso.eu-west-1.amazonaws.com/.',
        'A renewable sign-in gets a new token before it ends, until IAM Identity Center ends the session.',
        '',
      ].join('\n'),
    );
  });
});
