import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Question } from '../../../src-shared/input-request';
import { FakeCognito } from '../../../test/fixtures/fake-cognito';
import { FakeSts } from '../../../test/fixtures/fake-sts';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import { withEnv } from '../../../test/helpers/with-env';
import { createWorkspace, type Workspace } from '../../../test/helpers/workspace';
import { cognitoClients } from '../cognito/cognito-clients';
import { createCognitoSecrets, type CognitoSecrets } from '../cognito/cognito-secrets';
import type { CognitoProfile } from '../config/profile-config';
import { createMemoryStore } from '../secrets/memory-store';
import { createStsClient } from '../sts/sts-client';
import { cognitoUserPoolTokens } from '../cognito/user-pool-tokens';
import { createCognitoSource } from './cognito';

let cognito: FakeCognito;
let withSecret: FakeCognito;
let sts: FakeSts;
let ws: Workspace;
let secrets: CognitoSecrets;
const ROLE = 'arn:aws:iam::111122223333:role/cognito-basic';

beforeAll(async () => {
  sts = await FakeSts.start();
  sts.createRole({ roleName: 'cognito-basic', accountId: '111122223333' });
  cognito = await FakeCognito.start({ sts });
  withSecret = await FakeCognito.start({ clientSecret: 'the-app-client-secret' });
  ws = await createWorkspace();
  await ws.writeConfig('');
});
afterAll(async () => {
  await Promise.all([cognito.close(), withSecret.close(), sts.close()]);
  await ws.dispose();
});
beforeEach(() => {
  secrets = createCognitoSecrets(createMemoryStore());
});

function profileOf(fake: FakeCognito, overrides: Partial<CognitoProfile> = {}): CognitoProfile {
  return {
    name: 'app',
    kind: 'cognito',
    userPoolId: fake.userPoolId,
    clientId: fake.clientId,
    username: 'alice',
    identityPoolId: fake.identityPoolId,
    authFlow: 'USER_SRP_AUTH',
    definedIn: ws.configFile,
    ...overrides,
  };
}

/** Calls reach the fake through the SDK's own endpoint variables, as they do for a user. */
function run<T>(fake: FakeCognito, call: () => Promise<T>): Promise<T> {
  return withEnv(
    {
      AWS_CONFIG_FILE: ws.configFile,
      AWS_SHARED_CREDENTIALS_FILE: ws.credentialsFile,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: fake.url,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY: fake.url,
      AWS_ENDPOINT_URL_STS: sts.url,
      AWS_ENDPOINT_URL: '',
      AWS_PROFILE: '',
    },
    call,
  );
}

function sourceFor(profile: CognitoProfile) {
  return createCognitoSource({ profile, secrets, clients: cognitoClients(), createStsClient });
}

describe('a Cognito source', () => {
  it('signs in with SRP (the fake checks the proof) and gets credentials from the identity pool', async () => {
    cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    await secrets.setPassword('app', 'Correct-Horse-1');
    const source = sourceFor(profileOf(cognito));
    const credentials = await run(cognito, () => source.fetch(testFetchContext()));
    expect(cognito.issuedAccessKeyIds).toContain(credentials.accessKeyId);
    expect(credentials.expiresAt).toBeGreaterThan(Date.now());
    const srp = cognito.calls.filter((call) => call.body.AuthFlow === 'USER_SRP_AUTH');
    expect(srp.at(-1)?.body).not.toHaveProperty(['AuthParameters', 'PASSWORD']);
    expect(JSON.stringify(cognito.calls)).not.toContain('Correct-Horse-1');
    expect((await secrets.tokens('app'))?.refreshToken).toBeTruthy();
  });

  it('says in words that the password is wrong, and that it is missing', async () => {
    cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    const source = sourceFor(profileOf(cognito));
    await expect(run(cognito, () => source.fetch(testFetchContext()))).rejects.toMatchObject({
      failure: 'not-loadable',
      message: `Profile app: the keychain holds no Amazon Cognito password for alice. Store it with \`rolecall cognito set-password app\`, then load the profile again.`,
    });
    await secrets.setPassword('app', 'wrong-horse');
    await expect(run(cognito, () => source.fetch(testFetchContext()))).rejects.toMatchObject({
      failure: 'denied',
      message: `Profile app: Amazon Cognito refused the sign-in of alice in user pool ${cognito.userPoolId} (Incorrect username or password.). If the password changed, store the new one with \`rolecall cognito set-password app\`, then load the profile again.`,
    });
  });

  it('signs in with USER_PASSWORD_AUTH and a SECRET_HASH when the app client has a secret', async () => {
    withSecret.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    await secrets.setPassword('app', 'Correct-Horse-1');
    const profile = profileOf(withSecret, { authFlow: 'USER_PASSWORD_AUTH' });
    await expect(
      run(withSecret, () => sourceFor(profile).fetch(testFetchContext())),
    ).rejects.toMatchObject({ failure: 'denied', message: expect.stringContaining('SECRET_HASH') });
    await secrets.setClientSecret('app', 'the-app-client-secret');
    const credentials = await run(withSecret, () => sourceFor(profile).fetch(testFetchContext()));
    expect(withSecret.issuedAccessKeyIds).toContain(credentials.accessKeyId);
    expect((await secrets.tokens('app'))?.userId).toBe(withSecret.user('alice').sub);
    // Renewing makes SECRET_HASH with Cognito's user ID, which the fake requires there.
    withSecret.expireTokens();
    await run(withSecret, () => sourceFor(profile).fetch(testFetchContext()));
    expect(withSecret.callCount('InitiateAuth', 'REFRESH_TOKEN_AUTH')).toBe(1);
    // SRP with the secret too: SECRET_HASH is made with Cognito's user ID after the challenge.
    secrets = createCognitoSecrets(createMemoryStore());
    await secrets.setPassword('app', 'Correct-Horse-1');
    await secrets.setClientSecret('app', 'the-app-client-secret');
    const srp = await run(withSecret, () =>
      sourceFor(profileOf(withSecret)).userPoolTokens(testFetchContext()),
    );
    expect(srp.userId).toBe(withSecret.user('alice').sub);
  });

  it('renews with the refresh token, and signs in again with the password once it has expired', async () => {
    cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    await secrets.setPassword('app', 'Correct-Horse-1');
    const source = sourceFor(profileOf(cognito));
    await run(cognito, () => source.fetch(testFetchContext()));
    const count = (flow: string) => cognito.callCount('InitiateAuth', flow);
    const before = { srp: count('USER_SRP_AUTH'), refresh: count('REFRESH_TOKEN_AUTH') };
    // Held tokens are used while they last.
    await run(cognito, () => source.fetch(testFetchContext()));
    expect(count('REFRESH_TOKEN_AUTH')).toBe(before.refresh);
    cognito.expireTokens();
    const refreshed = await run(cognito, () => source.fetch(testFetchContext()));
    expect(cognito.issuedAccessKeyIds).toContain(refreshed.accessKeyId);
    expect({ srp: count('USER_SRP_AUTH'), refresh: count('REFRESH_TOKEN_AUTH') }).toEqual({
      srp: before.srp,
      refresh: before.refresh + 1,
    });
    cognito.expireTokens();
    cognito.expireRefreshTokens();
    await run(cognito, () => source.fetch(testFetchContext()));
    expect({ srp: count('USER_SRP_AUTH'), refresh: count('REFRESH_TOKEN_AUTH') }).toEqual({
      srp: before.srp + 1,
      refresh: before.refresh + 2,
    });
  });

  it('asks for a new password once when Cognito requires one, and keeps it in the keychain', async () => {
    cognito.addUser({ username: 'alice', password: 'Temporary-1', mustChangePassword: true });
    await secrets.setPassword('app', 'Temporary-1');
    const asked: Question[] = [];
    const context = testFetchContext({
      ask: (question) => {
        asked.push(question);
        return Promise.resolve('Chosen-Password-2');
      },
    });
    await run(cognito, () => sourceFor(profileOf(cognito)).fetch(context));
    expect(asked).toEqual([
      {
        key: `cognito-new-password:${cognito.userPoolId}/alice`,
        kind: 'new-password',
        prompt: `Amazon Cognito requires a new password for alice in Cognito user pool ${cognito.userPoolId}; choose one`,
      },
    ]);
    expect(await secrets.password('app')).toBe('Chosen-Password-2');
    expect(cognito.user('alice').password).toBe('Chosen-Password-2');
  });

  it('asks again, saying why, when the pool’s policy refuses the new password', async () => {
    cognito.addUser({ username: 'alice', password: 'Temporary-1', mustChangePassword: true });
    await secrets.setPassword('app', 'Temporary-1');
    const asked: Question[] = [];
    const answers = ['short', 'Chosen-Password-2'];
    const context = testFetchContext({
      ask: (question) => {
        asked.push({ ...question });
        return Promise.resolve(answers.shift()!);
      },
    });
    await run(cognito, () => sourceFor(profileOf(cognito)).fetch(context));
    expect(asked.map((question) => question.retryReason)).toEqual([
      undefined,
      'Amazon Cognito refused that password (Password does not conform to policy: Password not long enough); choose another.',
    ]);
    expect(await secrets.password('app')).toBe('Chosen-Password-2');
  });

  it.each(['SOFTWARE_TOKEN_MFA', 'SMS_MFA'] as const)(
    'asks for the %s code as an MFA code, and again with the reason when it is refused',
    async (mfa) => {
      cognito.addUser({ username: 'alice', password: 'Correct-Horse-1', mfa, mfaCode: '654321' });
      await secrets.setPassword('app', 'Correct-Horse-1');
      const asked: Question[] = [];
      const answers = ['111111', '654321'];
      const context = testFetchContext({
        ask: (question) => {
          asked.push({ ...question });
          return Promise.resolve(answers.shift()!);
        },
      });
      await run(cognito, () => sourceFor(profileOf(cognito)).fetch(context));
      expect(asked.map((question) => question.kind)).toEqual(['mfa-code', 'mfa-code']);
      expect(asked[0]!.retryReason).toBeUndefined();
      expect(asked[1]!.retryReason).toMatch(/refused the code/);
      expect(asked[0]!.prompt).toMatch(
        mfa === 'SMS_MFA' ? /text message to \+\*+0100/ : /authenticator app/,
      );
    },
  );

  it('takes the basic flow with role_arn: GetOpenIdToken, then AssumeRoleWithWebIdentity', async () => {
    cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    await secrets.setPassword('app', 'Correct-Horse-1');
    const source = sourceFor(profileOf(cognito, { roleArn: ROLE }));
    const credentials = await run(cognito, () => source.fetch(testFetchContext()));
    expect(credentials).toMatchObject({ roleArn: ROLE, accountId: '111122223333' });
    expect(sts.credentials(credentials.accessKeyId)).toBeDefined();
    expect(cognito.callCount('GetOpenIdToken')).toBeGreaterThan(0);
  });

  it('never uses tokens kept for another user of the profile', async () => {
    cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    cognito.addUser({ username: 'bob', password: 'Bobs-Password-1' });
    await secrets.setPassword('app', 'Correct-Horse-1');
    const alice = await run(cognito, () =>
      sourceFor(profileOf(cognito)).userPoolTokens(testFetchContext()),
    );
    await secrets.setPassword('app', 'Bobs-Password-1');
    const bob = await run(cognito, () =>
      sourceFor(profileOf(cognito, { username: 'bob' })).userPoolTokens(testFetchContext()),
    );
    expect(bob.idToken).not.toBe(alice.idToken);
    expect(bob.userId).toBe(cognito.user('bob').sub);
  });
});

describe('cognitoUserPoolTokens', () => {
  it('hands out the profile’s user pool tokens by name, shared with its source', async () => {
    cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
    await secrets.setPassword('app', 'Correct-Horse-1');
    await ws.writeConfig(
      `[profile app]\ncognito_user_pool_id = ${cognito.userPoolId}\ncognito_client_id = ${cognito.clientId}\ncognito_username = alice\ncognito_identity_pool_id = ${cognito.identityPoolId}\n[profile other]\nregion = eu-west-1\n`,
    );
    const tokensOf = cognitoUserPoolTokens({
      secrets,
      files: { configFile: ws.configFile, credentialsFile: ws.credentialsFile },
      createStsClient,
    });
    const tokens = await run(cognito, () => tokensOf('app', testFetchContext()));
    expect(tokens).toMatchObject({ idToken: expect.any(String), accessToken: expect.any(String) });
    // The source finds them in the keychain and signs in no more.
    const signIns = cognito.callCount('InitiateAuth');
    await run(cognito, () => sourceFor(profileOf(cognito)).fetch(testFetchContext()));
    expect(cognito.callCount('InitiateAuth')).toBe(signIns);
    await expect(run(cognito, () => tokensOf('other', testFetchContext()))).rejects.toThrow(
      'Profile other is no Amazon Cognito profile (it has no cognito_user_pool_id), so it has no user pool tokens.',
    );
    await ws.writeConfig('');
  });
});
