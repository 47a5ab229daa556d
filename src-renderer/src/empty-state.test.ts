import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../src-shared/profile';
import type { SsoSessionView } from '../../src-shared/sso-session';
import { teachingFor } from './empty-state';

const loadable: ProfileInfo = { name: 'dev', kind: 'credential_process', loadable: true };
const signedOut: ProfileInfo = {
  name: 'corp-ro',
  kind: 'sso',
  loadable: false,
  signInFirst: 'corp',
};
const corp = { name: 'corp', signedIn: false, expiresAt: null } as SsoSessionView;
const base = { error: null, profiles: [loadable], sessions: [], listed: true };

describe('teachingFor', () => {
  it('is nothing while the window has something to offer, or has not listed profiles yet', () => {
    expect(teachingFor(base)).toBeNull();
    expect(teachingFor({ ...base, profiles: [], listed: false })).toBeNull();
  });

  it('tells a Rolecall that does not answer, before anything else, with a retry', () => {
    expect(teachingFor({ ...base, error: 'Failed to fetch', profiles: [] })).toMatchObject({
      kind: 'server-off',
      action: { kind: 'retry' },
    });
  });

  it('passes the keychain’s own words on, with a retry', () => {
    const error = 'The OS keychain is not usable: unlock it.';
    expect(teachingFor({ ...base, error })).toMatchObject({
      kind: 'keychain-locked',
      body: error,
    });
  });

  it('teaches what to add to the config when there is no profile and no session', () => {
    const shown = teachingFor({ ...base, profiles: [] });
    expect(shown).toMatchObject({
      kind: 'no-profiles',
      action: { label: 'Look again' },
      moveIn: true,
    });
    expect(shown?.example).toContain('[profile dev]');
    // Moving in is for a person with nothing yet; a session to sign in to is a start already.
    expect(teachingFor({ ...base, profiles: [], sessions: [corp] })?.moveIn).toBeUndefined();
  });

  it('offers the sign-in when that is all that stands between the user and a profile', () => {
    expect(teachingFor({ ...base, profiles: [], sessions: [corp] })).toMatchObject({
      kind: 'no-sign-in',
      action: { kind: 'sign-in', session: 'corp' },
    });
    expect(teachingFor({ ...base, profiles: [signedOut] })).toMatchObject({
      kind: 'no-sign-in',
      action: { kind: 'sign-in', session: 'corp', label: 'Sign in to corp' },
    });
    expect(teachingFor({ ...base, profiles: [signedOut, loadable] })).toBeNull();
  });
});
