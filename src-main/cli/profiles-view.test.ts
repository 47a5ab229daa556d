import { describe, expect, it } from 'vitest';
import type { ProfileInfo } from '../../src-shared/profile';
import { formatProfiles } from './profiles-view';

const rows = (profiles: ProfileInfo[]) => formatProfiles(profiles).split('\n').slice(1, -1);

describe('formatProfiles', () => {
  it('shows an assumed role as its chain down to where its credentials come from', () => {
    const profiles: ProfileInfo[] = [
      {
        name: 'admin',
        kind: 'assume-role',
        loadable: true,
        roleArn: 'arn:aws:iam::111122223333:role/Admin',
        sourceProfile: 'base',
        chain: ['base'],
        accountId: '111122223333',
      },
      { name: 'base', kind: 'static', loadable: true, keysIn: 'keychain', mfaSerial: 'arn:mfa' },
      {
        name: 'deploy',
        kind: 'assume-role',
        loadable: true,
        sourceProfile: 'admin',
        chain: ['admin', 'base'],
        mfaSerial: 'arn:aws:iam::111122223333:mfa/ci',
      },
      {
        name: 'from-sso',
        kind: 'assume-role',
        loadable: true,
        sourceProfile: 'dev',
        chain: ['dev'],
      },
      { name: 'dev', kind: 'sso', loadable: true, accountId: '444455556666', roleName: 'Dev' },
      {
        name: 'on-ec2',
        kind: 'assume-role',
        loadable: true,
        credentialSource: 'Ec2InstanceMetadata',
      },
    ];
    expect(rows(profiles)).toEqual([
      'admin     assume-role  yes       admin ← base (keys in keychain, MFA)',
      'base      static       yes       keys in keychain, MFA',
      'deploy    assume-role  yes       deploy ← admin ← base (keys in keychain, MFA)',
      'from-sso  assume-role  yes       from-sso ← dev (IAM Identity Center)',
      'dev       sso          yes       444455556666 Dev',
      'on-ec2    assume-role  yes       on-ec2 ← Ec2InstanceMetadata',
    ]);
  });

  it('says exactly why a profile cannot be loaded', () => {
    expect(
      rows([
        {
          name: 'top',
          kind: 'assume-role',
          loadable: false,
          notLoadableReason: 'its chain top ← admin ← ops breaks at ops: no such profile',
        },
      ]),
    ).toEqual([
      'top      assume-role  no        its chain top ← admin ← ops breaks at ops: no such profile',
    ]);
  });

  it('shows a name that would hide itself as a JSON string', () => {
    expect(rows([{ name: ' padded', kind: 'credential_process', loadable: true }])).toEqual([
      '" padded"  credential_process  yes',
    ]);
  });
});

describe('a Cognito profile in the list', () => {
  it('shows its user pool and which identity pool flow it takes', () => {
    const row = (extra: Partial<ProfileInfo>) =>
      formatProfiles([
        {
          name: 'app',
          kind: 'cognito',
          loadable: true,
          cognitoUserPoolId: 'eu-west-1_AbC',
          ...extra,
        },
      ]);
    expect(row({})).toContain('eu-west-1_AbC enhanced flow');
    expect(row({ roleArn: 'arn:aws:iam::111122223333:role/R' })).toContain(
      'eu-west-1_AbC arn:aws:iam::111122223333:role/R',
    );
  });
});
