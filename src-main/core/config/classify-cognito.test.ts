import { describe, expect, it } from 'vitest';
import { classifyProfile, type ProfileSections } from './classify-profile';
import { toProfileInfo } from './profile-info';
import { readSsoSessions } from './sso-sessions';

const files = { configFile: '/home/me/.aws/config', credentialsFile: '/home/me/.aws/credentials' };
const sessions = readSsoSessions(new Map(), files.configFile);
const classify = (sections: ProfileSections) => classifyProfile('app', sections, files, sessions);
const complete = {
  cognito_user_pool_id: 'eu-west-1_AbCdEf123',
  cognito_client_id: '1example23456789',
  cognito_username: 'alice',
  cognito_identity_pool_id: 'eu-west-1:11111111-2222-3333-4444-555555555555',
  region: 'eu-west-1',
};

describe('a Cognito profile', () => {
  it('is read with SRP by default, and loads', () => {
    const { profile } = classify({ config: complete });
    expect(profile).toEqual({
      name: 'app',
      kind: 'cognito',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf123',
      clientId: '1example23456789',
      username: 'alice',
      identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
      authFlow: 'USER_SRP_AUTH',
      definedIn: files.configFile,
    });
    expect(toProfileInfo(profile)).toMatchObject({
      kind: 'cognito',
      loadable: true,
      cognitoUserPoolId: 'eu-west-1_AbCdEf123',
    });
  });

  it('takes role_arn as the identity pool’s basic flow, not as AssumeRole', () => {
    const role = 'arn:aws:iam::111122223333:role/app-users';
    const { profile, assumesRole } = classify({
      config: { ...complete, role_arn: role, cognito_auth_flow: 'USER_PASSWORD_AUTH' },
    });
    expect(assumesRole).toBe(false);
    expect(profile).toMatchObject({
      kind: 'cognito',
      roleArn: role,
      authFlow: 'USER_PASSWORD_AUTH',
    });
    expect(toProfileInfo(profile)).toMatchObject({ loadable: true, accountId: '111122223333' });
  });

  it.each([
    [
      { cognito_user_pool_id: 'AbCdEf123' },
      'its cognito_user_pool_id in /home/me/.aws/config is "AbCdEf123", not a user pool ID (<region>_<id>, e.g. eu-west-1_AbCdEf123)',
    ],
    [{ cognito_client_id: '' }, 'it has no cognito_client_id in /home/me/.aws/config'],
    [{ cognito_username: undefined }, 'it has no cognito_username in /home/me/.aws/config'],
    [
      { cognito_auth_flow: 'CUSTOM_AUTH' },
      'its cognito_auth_flow in /home/me/.aws/config is "CUSTOM_AUTH"; write USER_SRP_AUTH (the default) or USER_PASSWORD_AUTH',
    ],
    [
      { cognito_identity_pool_id: undefined },
      'it names no cognito_identity_pool_id in /home/me/.aws/config, and AWS credentials come from an identity pool; add the identity pool that trusts this user pool',
    ],
    [
      { role_arn: 'app-users' },
      'its role_arn in /home/me/.aws/config is "app-users", not an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
    ],
  ])('says what to fix: %o', (change, reason) => {
    const config: Record<string, string> = { ...complete };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete config[key];
      else config[key] = value;
    }
    const info = toProfileInfo(classify({ config }).profile);
    expect(info).toMatchObject({ loadable: false, notLoadableReason: reason });
  });
});
