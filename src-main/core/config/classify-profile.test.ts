import { describe, expect, it } from 'vitest';
import { classifyProfile, type ProfileSections } from './classify-profile';
import { toProfileInfo } from './profile-info';
import { readSsoSessions } from './sso-sessions';

const files = { configFile: '/home/me/.aws/config', credentialsFile: '/home/me/.aws/credentials' };
const sessions = readSsoSessions(
  new Map([['corp', { sso_start_url: 'https://corp.awsapps.com/start', sso_region: 'eu-west-1' }]]),
  files.configFile,
);
const classify = (sections: ProfileSections) => classifyProfile('p', sections, files, sessions);

describe('classifyProfile', () => {
  it('says where credential_process was defined', () => {
    expect(classify({ config: { credential_process: '/bin/a' } }).profile).toMatchObject({
      definedIn: files.configFile,
    });
    expect(
      classify({ config: { region: 'x' }, credentials: { credential_process: '/bin/b' } }).profile,
    ).toMatchObject({ definedIn: files.credentialsFile, credentialProcess: '/bin/b', region: 'x' });
  });

  it('checks keys where the AWS CLI does: the credentials file before credential_process, the config file after', () => {
    const keys = { aws_access_key_id: 'AKIA', aws_secret_access_key: 's' };
    const process = { credential_process: '/bin/c' };
    expect(classify({ credentials: keys, config: process }).profile).toMatchObject({
      kind: 'static',
      keysIn: 'credentials-file',
    });
    expect(classify({ config: { ...keys, ...process } }).profile.kind).toBe('credential_process');
    expect(classify({ config: keys }).profile).toMatchObject({
      kind: 'static',
      keysIn: 'config-file',
      definedIn: files.configFile,
    });
  });

  it('puts keys kept in the keychain where the credentials file keys would be', () => {
    const inKeychain = (sections: ProfileSections) =>
      classifyProfile('p', sections, files, sessions, true).profile;
    expect(inKeychain({ config: { credential_process: '/bin/c' } })).toMatchObject({
      kind: 'static',
      keysIn: 'keychain',
    });
    // IAM Identity Center naming a role comes first, as it does before keys in the file.
    expect(
      inKeychain({ config: { sso_session: 'corp', sso_account_id: '1', sso_role_name: 'R' } }).kind,
    ).toBe('sso');
  });

  it('assumes a role whatever else the profile holds, except a web identity token file', () => {
    const role = { role_arn: 'arn:aws:iam::123456789012:role/R', source_profile: 'x' };
    const classified = classify({
      config: { ...role, credential_process: '/bin/c', sso_session: 'corp' },
    });
    expect(classified).toMatchObject({
      profile: { kind: 'assume-role', sourceProfile: 'x' },
      asSource: { kind: 'credential_process' },
      assumesRole: true,
      hasStaticKeys: false,
    });
    expect(classify({ config: { ...role, web_identity_token_file: '/t' } }).profile.kind).toBe(
      'web-identity',
    );
  });

  it('names what it cannot load', () => {
    const reasons = [
      { role_arn: 'arn:aws:iam::1:role/R', credential_source: 'Ec2InstanceMetadata' },
      { role_arn: 'arn:aws:iam::123456789012:role/R' },
      { aws_secret_access_key: 's' },
      {},
    ].map((config) => {
      const { profile, warnings } = classify({ config });
      expect(warnings).toEqual([]);
      return toProfileInfo(profile).notLoadableReason;
    });
    expect(reasons).toEqual([
      'its role_arn "arn:aws:iam::1:role/R" is not a role\'s ARN (arn:aws:iam::<account>:role/<name>)',
      'it sets role_arn without source_profile or credential_source, which the AWS CLI refuses too; add source_profile naming the profile whose credentials assume the role',
      'it has an aws_secret_access_key without its aws_access_key_id in the same file, which the AWS CLI ignores; put both keys in one section, or move them into the keychain with `rolecall keys add p`',
      'it has no credential settings (role_arn, keys, sso_session, credential_process, web_identity_token_file or login_session)',
    ]);
  });

  it('accepts a profile that repeats its sso-session settings exactly', () => {
    const { profile } = classify({
      config: {
        sso_session: 'corp',
        sso_start_url: 'https://corp.awsapps.com/start',
        sso_region: 'eu-west-1',
      },
    });
    expect(profile).toMatchObject({ kind: 'sso', ssoSession: 'corp' });
  });

  it('treats any sso_* setting without sso_session as a legacy profile', () => {
    const { profile, warnings } = classify({
      credentials: { sso_account_id: '123456789012', sso_role_name: 'Dev' },
    });
    expect(profile).toMatchObject({
      kind: 'unsupported',
      reason: 'it is an IAM Identity Center profile without sso_start_url, sso_region',
    });
    expect(warnings).toEqual([
      `Profile p in ${files.credentialsFile} is an IAM Identity Center profile without sso_start_url, sso_region; add them, or point it at an [sso-session] with sso_session.`,
    ]);
  });
});
