import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../src-shared/profile';
import type { SsoSessionView } from '../../src-shared/sso-session';
import { withChainsSignInState, withSignInState } from './profile-list';

const session = (name: string, signedIn: boolean): SsoSessionView => ({
  name,
  startUrl: `https://${name}.awsapps.com/start`,
  region: 'eu-west-1',
  signedIn,
  expiresAt: null,
});

const role: ProfileInfo = {
  name: 'Production/Admin',
  kind: 'sso',
  loadable: true,
  discovered: true,
  accountId: '111111111111',
  roleName: 'Admin',
  ssoSession: 'corp',
  ssoStartUrl: 'https://corp.awsapps.com/start',
};

describe('profiles of a signed-out IAM Identity Center session', () => {
  it('are not offered as loadable: they say to sign in first, and to which session', () => {
    expect(withSignInState(role, [session('corp', false)])).toEqual({
      ...role,
      loadable: false,
      notLoadableReason: 'you are not signed in to corp; sign in with `rolecall login corp`',
      signInFirst: 'corp',
    });
  });

  it('are loadable while signed in; other profiles are left as they are', () => {
    expect(withSignInState(role, [session('corp', true)])).toBe(role);
    const legacy: ProfileInfo = {
      name: 'legacy',
      kind: 'sso-legacy',
      loadable: true,
      ssoStartUrl: 'https://old.awsapps.com/start',
    };
    expect(
      withSignInState(legacy, [session('https://old.awsapps.com/start', false)]),
    ).toMatchObject({ loadable: false, signInFirst: 'https://old.awsapps.com/start' });
    const process: ProfileInfo = { name: 'dev', kind: 'credential_process', loadable: true };
    expect(withSignInState(process, [session('corp', false)])).toBe(process);
  });
});

describe('roles assumed from a profile of a signed-out IAM Identity Center session', () => {
  const base: ProfileInfo = {
    name: 'sso-base',
    kind: 'sso',
    loadable: false,
    notLoadableReason: 'you are not signed in to corp; sign in with `rolecall login corp`',
    signInFirst: 'corp',
    ssoSession: 'corp',
  };
  const admin: ProfileInfo = {
    name: 'admin',
    kind: 'assume-role',
    loadable: true,
    sourceProfile: 'sso-base',
    chain: ['sso-base'],
  };
  const ops: ProfileInfo = {
    name: 'ops',
    kind: 'assume-role',
    loadable: true,
    sourceProfile: 'admin',
    chain: ['admin', 'sso-base'],
  };

  it('say to sign in first, to the session their chain starts at', () => {
    expect(withChainsSignInState([admin, ops, base])).toEqual([
      {
        ...admin,
        loadable: false,
        notLoadableReason:
          'its source_profile sso-base cannot be loaded yet: you are not signed in to corp; sign in with `rolecall login corp`',
        signInFirst: 'corp',
      },
      {
        ...ops,
        loadable: false,
        notLoadableReason:
          'its chain ops ← admin ← sso-base cannot be loaded yet: you are not signed in to corp; sign in with `rolecall login corp`',
        signInFirst: 'corp',
      },
      base,
    ]);
  });

  it('are left as they are when the session is signed in, or the chain starts elsewhere', () => {
    const signedIn = { ...base, loadable: true } as ProfileInfo;
    delete signedIn.signInFirst;
    delete signedIn.notLoadableReason;
    const profiles = [admin, ops, signedIn];
    expect(withChainsSignInState(profiles)).toEqual(profiles);
    const keys: ProfileInfo = { name: 'keys', kind: 'static', loadable: true };
    const fromKeys: ProfileInfo = { ...admin, sourceProfile: 'keys', chain: ['keys'] };
    expect(withChainsSignInState([fromKeys, keys, base])[0]).toBe(fromKeys);
  });
});
