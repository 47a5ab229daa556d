import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from './profile';
import { profileChainWords } from './profile-chain';

const profiles: ProfileInfo[] = [
  { name: 'admin', kind: 'assume-role', loadable: true, sourceProfile: 'base', chain: ['base'] },
  { name: 'base', kind: 'static', loadable: true, keysIn: 'keychain', mfaSerial: 'arn:mfa' },
  { name: 'old', kind: 'static', loadable: true, keysIn: 'credentials-file' },
  { name: 'via-old', kind: 'assume-role', loadable: true, sourceProfile: 'old' },
  { name: 'proc', kind: 'credential_process', loadable: true },
  {
    name: 'deep',
    kind: 'assume-role',
    loadable: true,
    chain: ['mid', 'proc'],
    mfaSerial: 'arn:aws:iam::1:mfa/x',
  },
  { name: 'mid', kind: 'assume-role', loadable: true, chain: ['proc'] },
];
const byName = new Map(profiles.map((profile) => [profile.name, profile]));
const words = (name: string) => profileChainWords(byName.get(name)!, byName);

describe('profileChainWords', () => {
  it('names the chain down to its first source, what that is, and MFA anywhere on it', () => {
    expect(words('admin')).toBe('admin ← base (keys in keychain, MFA)');
    expect(words('deep')).toBe('deep ← mid ← proc (credential_process, MFA)');
    expect(words('via-old')).toBe('via-old ← old (keys in the credentials file)');
  });

  it('says where keys are, and nothing for kinds made from nothing Rolecall holds', () => {
    expect(words('base')).toBe('keys in keychain, MFA');
    expect(words('proc')).toBeNull();
  });

  it('names a credential_source where there is no source profile', () => {
    const role: ProfileInfo = {
      name: 'ci',
      kind: 'assume-role',
      loadable: true,
      credentialSource: 'Environment',
    };
    expect(profileChainWords(role, byName)).toBe('ci ← Environment');
  });
});
