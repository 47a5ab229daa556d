import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../../src-shared/profile';
import { credentialsOf, defaultProfileWithCredentials } from './default-profile';

const profile = (info: Partial<ProfileInfo>): ProfileInfo => ({
  name: 'default',
  kind: 'credential_process',
  loadable: true,
  ...info,
});

describe('defaultProfileWithCredentials', () => {
  it.each([
    ['credential_process', profile({})],
    ['keys in the credentials file', profile({ kind: 'static', keysIn: 'credentials-file' })],
    ['an assumed role', profile({ kind: 'assume-role' })],
    ['IAM Identity Center', profile({ kind: 'sso' })],
  ])('finds a default profile with %s, which SDKs read before the endpoint', (_, fallback) => {
    expect(defaultProfileWithCredentials([profile({ name: 'prod' }), fallback])).toBe(fallback);
  });

  it.each([
    ['no default profile', [profile({ name: 'prod' })]],
    [
      'a default with only settings',
      [profile({ kind: 'unsupported', loadable: false, region: 'eu-west-1' })],
    ],
    ['a default whose keys are in the keychain', [profile({ kind: 'static', keysIn: 'keychain' })]],
    ['a discovered role named default', [profile({ kind: 'sso', discovered: true })]],
  ])('finds nothing with %s', (_, profiles) => {
    expect(defaultProfileWithCredentials(profiles)).toBeUndefined();
  });

  it('says where the credentials are', () => {
    expect(credentialsOf(profile({}))).toBe('credential_process');
    expect(credentialsOf(profile({ kind: 'static', keysIn: 'config-file' }))).toBe(
      'access keys in the config file',
    );
  });
});
