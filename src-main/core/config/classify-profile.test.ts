import { describe, expect, it } from 'vitest';
import { classifyProfile, type ProfileSections } from './classify-profile';
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

  it('treats half a key pair as static, after every kind the SDK would try first', () => {
    expect(classify({ credentials: { aws_access_key_id: 'AKIA' } }).profile.kind).toBe('static');
    expect(
      classify({ credentials: { aws_access_key_id: 'AKIA', credential_process: '/bin/c' } }).profile
        .kind,
    ).toBe('credential_process');
  });

  it('names what it cannot load', () => {
    const reasons = [
      { role_arn: 'arn:aws:iam::1:role/R', credential_source: 'Ec2InstanceMetadata' },
      { role_arn: 'arn:aws:iam::1:role/R' },
      { login_session: 'arn:aws:iam::1:user/me' },
      {},
    ].map((config) => {
      const { profile, warnings } = classify({ config });
      expect(warnings).toEqual([]);
      return profile.kind === 'unsupported' ? profile.reason : profile.kind;
    });
    expect(reasons).toEqual([
      'it assumes a role (role_arn with credential_source), which Rolecall cannot load yet',
      'it sets role_arn without source_profile or credential_source',
      'it uses an AWS console sign-in session (login_session), which Rolecall cannot load yet',
      'it has no credential settings (credential_process, sso_session or sso_start_url)',
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
