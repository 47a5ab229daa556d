import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../src-shared/profile';
import { keysInFileWarning } from './keys-in-file-warning';

const profiles: ProfileInfo[] = [
  { name: 'ci', kind: 'static', loadable: true, keysIn: 'credentials-file' },
  { name: 'old', kind: 'static', loadable: true, keysIn: 'config-file' },
  { name: 'alice', kind: 'static', loadable: true, keysIn: 'keychain' },
  {
    name: 'deployer',
    kind: 'assume-role',
    loadable: true,
    sourceProfile: 'ci',
    chain: ['ci'],
  },
  {
    name: 'deep',
    kind: 'assume-role',
    loadable: true,
    sourceProfile: 'deployer',
    chain: ['deployer', 'ci'],
  },
  { name: 'admin', kind: 'assume-role', loadable: true, sourceProfile: 'alice', chain: ['alice'] },
  // A role that is its own source_profile, signing with the keys beside it.
  {
    name: 'self',
    kind: 'assume-role',
    loadable: true,
    sourceProfile: 'self',
    chain: ['self'],
    keysIn: 'credentials-file',
  },
  { name: 'with space', kind: 'static', loadable: true, keysIn: 'credentials-file' },
  { name: 'build', kind: 'credential_process', loadable: true },
];

describe('keysInFileWarning', () => {
  it('names the profile whose keys are in a file, and the command that moves them', () => {
    const ci =
      'Profile ci: its long-lived keys are in the AWS credentials file, where any program you run can read them. Move them into the keychain with `rolecall keys import ci --remove`.';
    expect(keysInFileWarning(profiles, 'ci')).toBe(ci);
    expect(keysInFileWarning(profiles, 'deployer')).toBe(ci);
    expect(keysInFileWarning(profiles, 'deep')).toBe(ci);
    expect(keysInFileWarning(profiles, 'old')).toContain('are in the AWS config file');
    expect(keysInFileWarning(profiles, 'self')).toContain('`rolecall keys import self --remove`');
    expect(keysInFileWarning(profiles, 'with space')).toContain(
      "`rolecall keys import 'with space' --remove`",
    );
  });

  it('says nothing of keys in the keychain, other kinds, or a profile it does not know', () => {
    expect(keysInFileWarning(profiles, 'alice')).toBeNull();
    expect(keysInFileWarning(profiles, 'admin')).toBeNull();
    expect(keysInFileWarning(profiles, 'build')).toBeNull();
    expect(keysInFileWarning(profiles, 'nobody')).toBeNull();
  });
});
