import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  GetSessionTokenCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSts, type FakeUser } from '../../../test/fixtures/fake-sts';
import { RolecallError } from '../errors';
import { SourceError } from '../sources/source';
import { isMfaCodeRefused, stsFailure, type StsCallDescription } from './sts-errors';

/**
 * Every error here is the real SDK's, from a real answer of the fake STS (or a real network
 * failure), so the sentences are tested against what users will actually get.
 */

let fake: FakeSts;
let alice: FakeUser;

beforeAll(async () => {
  fake = await FakeSts.start();
  alice = fake.createUser({ userName: 'alice', mfa: true });
});
afterAll(async () => {
  await fake.close();
});

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const aliceKeys = (): Keys => ({
  accessKeyId: alice.accessKeyId,
  secretAccessKey: alice.secretAccessKey,
});

function client(credentials?: Keys, options: { endpoint?: string; requestTimeout?: number } = {}) {
  return new STSClient({
    region: 'eu-west-1',
    endpoint: options.endpoint ?? fake.url,
    maxAttempts: 1,
    credentials: credentials ?? (() => Promise.reject(new Error('unsigned'))),
    ...(options.requestTimeout
      ? { requestHandler: { requestTimeout: options.requestTimeout, throwOnRequestTimeout: true } }
      : {}),
  });
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('the call succeeded');
    },
    (error: unknown) => error,
  );
}

const assumeAdmin: StsCallDescription = {
  profile: 'admin',
  action: 'AssumeRole',
  signedBy: 'base',
  roleArn: 'arn:aws:iam::111122223333:role/admin',
  mfaSerial: 'arn:aws:iam::111122223333:mfa/alice',
  region: 'eu-west-1',
};

describe('MFA', () => {
  it('a wrong or reused code: denied, in words, and marked as a code to ask for again', async () => {
    const error = await errorOf(
      client(aliceKeys()).send(
        new GetSessionTokenCommand({
          SerialNumber: alice.mfaSerial,
          TokenCode: '000000' === fake.mfaCode(alice.mfaSerial!) ? '111111' : '000000',
        }),
      ),
    );
    expect(isMfaCodeRefused(error)).toBe(true);
    const failure = stsFailure(error, {
      profile: 'base',
      action: 'GetSessionToken',
      mfaSerial: alice.mfaSerial!,
    });
    expect(failure).toBeInstanceOf(SourceError);
    expect(failure.failure).toBe('denied');
    expect(failure.message).toBe(
      `Profile base: AWS refused the MFA code for ${alice.mfaSerial}: it is wrong, or was already used. Enter the next code the device shows.`,
    );
  });

  it('a serial that is no device of the signing user says to fix mfa_serial, and is no code to ask again', async () => {
    const bob = fake.createUser({ userName: 'bob', mfa: true });
    const error = await errorOf(
      client(aliceKeys()).send(
        new GetSessionTokenCommand({
          SerialNumber: bob.mfaSerial,
          TokenCode: fake.mfaCode(bob.mfaSerial!),
        }),
      ),
    );
    expect(isMfaCodeRefused(error)).toBe(false);
    const failure = stsFailure(error, {
      profile: 'base',
      action: 'GetSessionToken',
      signedBy: 'base-keys',
      mfaSerial: bob.mfaSerial!,
    });
    expect(failure.failure).toBe('denied');
    expect(failure.message).toBe(
      `Profile base: AWS could not check the MFA code: ${bob.mfaSerial} is not an MFA device of the IAM user whose keys signed the call (profile base-keys). Set mfa_serial to the ARN of that user's MFA device.`,
    );
  });
});

describe('refusals', () => {
  it('AccessDenied on AssumeRole names the role, the signer and what to check', async () => {
    const role = fake.createRole({ roleName: 'guarded', externalId: 'ext' });
    const error = await errorOf(
      client(aliceKeys()).send(new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x1' })),
    );
    expect(isMfaCodeRefused(error)).toBe(false);
    const failure = stsFailure(error, { ...assumeAdmin, roleArn: role.arn });
    expect(failure.failure).toBe('denied');
    expect(failure.message).toBe(
      `Profile admin: AWS denied assuming role ${role.arn} with the credentials of profile base: User: ${alice.arn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}. Check the role's trust policy (and the profile's external_id and mfa_serial) and what profile base may assume.`,
    );
  });

  it('expired signing credentials (ExpiredToken) say which profile’s, and what to do', async () => {
    const session = await client(aliceKeys()).send(new GetSessionTokenCommand({}));
    fake.expireCredentials(session.Credentials!.AccessKeyId);
    const error = await errorOf(
      client({
        accessKeyId: session.Credentials!.AccessKeyId!,
        secretAccessKey: session.Credentials!.SecretAccessKey!,
        sessionToken: session.Credentials!.SessionToken!,
      }).send(new AssumeRoleCommand({ RoleArn: assumeAdmin.roleArn, RoleSessionName: 'x1' })),
    );
    const failure = stsFailure(error, assumeAdmin);
    expect(failure.failure).toBe('denied');
    expect(failure.message).toBe(
      "Profile admin: AWS says the credentials of profile base have expired (ExpiredToken), so the AssumeRole call was refused. Load profile base again, and check that this computer's clock is right.",
    );
  });

  it('unknown keys and a wrong secret say to replace the keys', async () => {
    const unknown = stsFailure(
      await errorOf(
        client({ accessKeyId: 'AKIAGONE', secretAccessKey: 'x' }).send(
          new GetCallerIdentityCommand({}),
        ),
      ),
      { profile: 'base', action: 'GetSessionToken', signedBy: 'base' },
    );
    expect(unknown.message).toMatch(
      /^Profile base: AWS does not recognise the credentials of profile base \(InvalidClientTokenId\).*Replace the keys of profile base\.$/,
    );
    const forged = stsFailure(
      await errorOf(
        client({ ...aliceKeys(), secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})),
      ),
      { profile: 'base', action: 'GetSessionToken', signedBy: 'base' },
    );
    expect(forged.failure).toBe('denied');
    expect(forged.message).toMatch(/does not match its access key id \(SignatureDoesNotMatch\)/);
  });

  it('a duration the role does not allow is a setting to fix', async () => {
    const role = fake.createRole({ roleName: 'short' });
    const error = await errorOf(
      client(aliceKeys()).send(
        new AssumeRoleCommand({ RoleArn: role.arn, RoleSessionName: 'x1', DurationSeconds: 7200 }),
      ),
    );
    const failure = stsFailure(error, { ...assumeAdmin, roleArn: role.arn });
    expect(failure.failure).toBe('not-loadable');
    expect(failure.message).toBe(
      "Profile admin: STS refused the AssumeRole request (ValidationError): The requested DurationSeconds exceeds the MaxSessionDuration set for this role. Check the profile's settings (duration_seconds, role_session_name, external_id, mfa_serial).",
    );
  });

  it('a role assumed from a role asked for more than an hour: the limit, and the setting', async () => {
    const first = fake.createRole({ roleName: 'first' });
    const second = fake.createRole({ roleName: 'second', maxSessionDurationSeconds: 43_200 });
    const assumed = await client(aliceKeys()).send(
      new AssumeRoleCommand({ RoleArn: first.arn, RoleSessionName: 'first' }),
    );
    const error = await errorOf(
      client({
        accessKeyId: assumed.Credentials!.AccessKeyId!,
        secretAccessKey: assumed.Credentials!.SecretAccessKey!,
        sessionToken: assumed.Credentials!.SessionToken!,
      }).send(
        new AssumeRoleCommand({
          RoleArn: second.arn,
          RoleSessionName: 'x2',
          DurationSeconds: 7200,
        }),
      ),
    );
    const failure = stsFailure(error, { ...assumeAdmin, signedBy: 'first', roleArn: second.arn });
    expect(failure.failure).toBe('not-loadable');
    expect(failure.message).toBe(
      "Profile admin: STS refused the AssumeRole request (ValidationError): The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining. A role assumed with another role's credentials lasts at most an hour: set duration_seconds of profile admin to 3600 or less.",
    );
  });

  it('a region where STS is off says how to turn it on', async () => {
    fake.fail('region-disabled', { times: 1 });
    const failure = stsFailure(
      await errorOf(client(aliceKeys()).send(new GetCallerIdentityCommand({}))),
      {
        ...assumeAdmin,
        region: 'me-south-1',
      },
    );
    expect(failure.failure).toBe('denied');
    expect(failure.message).toMatch(
      /^Profile admin: STS is not activated in me-south-1 for the account: .* Activate the region in the IAM console \(Account settings\), or give the profile another region\.$/,
    );
  });
});

describe('web identity', () => {
  const call: StsCallDescription = {
    profile: 'ci',
    action: 'AssumeRoleWithWebIdentity',
    roleArn: 'arn:aws:iam::111122223333:role/ci',
    tokenFile: '/var/run/token',
  };

  it('an unknown token and an expired one name the token file', async () => {
    fake.createRole({ roleName: 'ci' });
    fake.registerWebIdentityToken('stale', { expiresAt: Date.now() - 1000 });
    const unknown = stsFailure(
      await errorOf(
        client().send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: call.roleArn,
            RoleSessionName: 'ci',
            WebIdentityToken: 'nope',
          }),
        ),
      ),
      call,
    );
    expect(unknown.failure).toBe('denied');
    expect(unknown.message).toMatch(
      /^Profile ci: AWS refused the web identity token in \/var\/run\/token \(InvalidIdentityToken\): .* Check the token and the identity provider role arn:aws:iam::111122223333:role\/ci trusts\.$/,
    );
    const expired = stsFailure(
      await errorOf(
        client().send(
          new AssumeRoleWithWebIdentityCommand({
            RoleArn: call.roleArn,
            RoleSessionName: 'ci',
            WebIdentityToken: 'stale',
          }),
        ),
      ),
      call,
    );
    expect(expired.message).toMatch(
      /^Profile ci: the web identity token in \/var\/run\/token has expired: Token expired: .* Have the tool that writes it write a new one\.$/,
    );
  });
});

describe('throttling and the network', () => {
  it('throttling is `throttled`, retried by Rolecall', async () => {
    fake.fail('throttle', { times: 1 });
    const failure = stsFailure(
      await errorOf(client(aliceKeys()).send(new GetCallerIdentityCommand({}))),
      assumeAdmin,
    );
    expect(failure.failure).toBe('throttled');
    expect(failure.message).toBe(
      'Profile admin: STS in eu-west-1 is throttling AssumeRole calls; Rolecall will retry.',
    );
  });

  it('a server error, a refused connection and a hang each say what happened', async () => {
    fake.fail('internal-error', { times: 1 });
    const broken = stsFailure(
      await errorOf(client(aliceKeys()).send(new GetCallerIdentityCommand({}))),
      assumeAdmin,
    );
    expect(broken.failure).toBe('unreachable');
    expect(broken.message).toMatch(
      /^Profile admin: STS in eu-west-1 answered the AssumeRole call with HTTP 500 InternalFailure: .* Rolecall will retry\.$/,
    );

    const refused = stsFailure(
      await errorOf(
        client(aliceKeys(), { endpoint: 'http://127.0.0.1:9' }).send(
          new GetCallerIdentityCommand({}),
        ),
      ),
      assumeAdmin,
    );
    expect(refused.failure).toBe('unreachable');
    expect(refused.message).toMatch(
      /^Profile admin: could not reach STS in eu-west-1 during AssumeRole: .*ECONNREFUSED.* Check the network \(or AWS_ENDPOINT_URL_STS, if set\); Rolecall will retry\.$/,
    );

    fake.fail('hang', { times: 1 });
    const hung = stsFailure(
      await errorOf(
        client(aliceKeys(), { requestTimeout: 200 }).send(new GetCallerIdentityCommand({})),
      ),
      assumeAdmin,
    );
    expect(hung.failure).toBe('timeout');
    expect(hung.message).toBe(
      'Profile admin: STS in eu-west-1 did not answer the AssumeRole call within 200 ms. Rolecall will retry; check the network (or AWS_ENDPOINT_URL_STS, if set) if it keeps happening.',
    );
  });

  it('passes SourceErrors through and words Rolecall’s own refusals', () => {
    const own = new SourceError('x', 'cancelled', 'Cancelled.');
    expect(stsFailure(own, assumeAdmin)).toBe(own);
    const refused = stsFailure(
      new RolecallError('aws-file-refused', '/home/a/.aws/config line 3: …'),
      assumeAdmin,
    );
    expect(refused.message).toBe('Profile admin: /home/a/.aws/config line 3: …');
  });
});
