import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeCognito } from '../../../test/fixtures/fake-cognito';
import { withEnv } from '../../../test/helpers/with-env';
import { createWorkspace, type Workspace } from '../../../test/helpers/workspace';
import { createMemoryStore } from '../secrets/memory-store';
import type { SecretStore } from '../secrets/secret-store';
import type { TokenSource } from '../tokens/token-source';
import { cognitoClients } from './cognito-clients';
import { createCognitoSecrets } from './cognito-secrets';
import { cognitoTokenKind } from './cognito-token-kind';

let cognito: FakeCognito;
let ws: Workspace;
let store: SecretStore;

beforeAll(async () => {
  cognito = await FakeCognito.start();
  ws = await createWorkspace();
  await ws.writeConfig(
    [
      '[profile app]',
      `cognito_user_pool_id = ${cognito.userPoolId}`,
      `cognito_client_id = ${cognito.clientId}`,
      'cognito_username = alice',
      `cognito_identity_pool_id = ${cognito.identityPoolId}`,
      'region = us-east-1',
      '[profile carol]',
      `cognito_user_pool_id = ${cognito.userPoolId}`,
      `cognito_client_id = ${cognito.clientId}`,
      'cognito_username = carol',
      `cognito_identity_pool_id = ${cognito.identityPoolId}`,
      'region = us-east-1',
      '[profile plain]',
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  cognito.addUser({ username: 'alice', password: 'Correct-Horse-1' });
  cognito.addUser({ username: 'carol', password: 'Temporary-1', mustChangePassword: true });
});
afterAll(async () => {
  await cognito.close();
  await ws.dispose();
});
beforeEach(() => {
  store = createMemoryStore();
});

const kind = () => cognitoTokenKind({ clients: cognitoClients() });

function sourceFor(profile: string): TokenSource {
  const definition = kind().read({ name: `${profile}-token`, kind: 'cognito', profile });
  if (typeof definition === 'string') throw new Error(definition);
  return kind().source(definition, { secrets: store, home: ws.home, now: Date.now });
}

function run<T>(call: () => Promise<T>): Promise<T> {
  return withEnv(
    {
      AWS_CONFIG_FILE: ws.configFile,
      AWS_SHARED_CREDENTIALS_FILE: ws.credentialsFile,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
      AWS_ENDPOINT_URL: '',
      AWS_PROFILE: '',
    },
    call,
  );
}

const fetchNow = (source: TokenSource) =>
  run(() => source.fetch({ signal: new AbortController().signal }));
const count = (flow: string) => cognito.callCount('InitiateAuth', flow);

describe('the cognito token kind', () => {
  it('reads an entry naming a profile, and says what is missing from one that does not', () => {
    expect(kind().read({ name: 'app', kind: 'cognito', profile: 'app' })).toMatchObject({
      name: 'app',
      profile: 'app',
    });
    expect(kind().read({ name: 'app', kind: 'cognito' })).toMatch(/^profile: /);
  });

  it("serves the user pool's access and ID tokens, shared with the profile's keychain item", async () => {
    await createCognitoSecrets(store).setPassword('app', 'Correct-Horse-1');
    const source = sourceFor('app');
    expect(await run(() => source.held!())).toBeNull();
    const token = await fetchNow(source);
    expect(cognito.issuedSecrets()).toEqual(
      expect.arrayContaining([token.accessToken, token.idToken]),
    );
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresAt).toBeGreaterThan(Date.now() + 30 * 60_000);
    const kept = await createCognitoSecrets(store).tokens('app');
    expect(kept).toMatchObject({ accessToken: token.accessToken, idToken: token.idToken });
    expect((await run(() => source.held!()))?.token).toEqual(token);
  });

  it('renews with the refresh token when the broker asks, and signs in again once that has expired', async () => {
    await createCognitoSecrets(store).setPassword('app', 'Correct-Horse-1');
    const source = sourceFor('app');
    const first = await fetchNow(source);
    const before = { srp: count('USER_SRP_AUTH'), refresh: count('REFRESH_TOKEN_AUTH') };
    // A held token still fresh enough for the broker is served as it is.
    const held = await run(() =>
      source.fetch({ signal: new AbortController().signal, freshEnough: () => true }),
    );
    expect(held.accessToken).toBe(first.accessToken);
    expect(count('REFRESH_TOKEN_AUTH')).toBe(before.refresh);
    // Past the broker's renewal point, it is renewed though Cognito still calls it valid.
    const renewed = await fetchNow(source);
    expect(renewed.accessToken).not.toBe(first.accessToken);
    expect({ srp: count('USER_SRP_AUTH'), refresh: count('REFRESH_TOKEN_AUTH') }).toEqual({
      srp: before.srp,
      refresh: before.refresh + 1,
    });
    cognito.expireRefreshTokens();
    const signedIn = await fetchNow(source);
    expect(cognito.issuedSecrets()).toContain(signedIn.accessToken);
    expect({ srp: count('USER_SRP_AUTH'), refresh: count('REFRESH_TOKEN_AUTH') }).toEqual({
      srp: before.srp + 1,
      refresh: before.refresh + 2,
    });
  });

  it('waits for a person when the password is missing or wrong, or Cognito asks for a new one', async () => {
    await expect(fetchNow(sourceFor('app'))).rejects.toMatchObject({
      name: 'TokenSourceError',
      kind: 'needs-input',
      message: expect.stringContaining(
        'the keychain holds no Amazon Cognito password for alice. Store it with `rolecall cognito set-password app`',
      ),
    });
    await createCognitoSecrets(store).setPassword('app', 'Wrong-Horse-1');
    await expect(fetchNow(sourceFor('app'))).rejects.toMatchObject({
      kind: 'needs-input',
      message: expect.stringContaining('Amazon Cognito refused the sign-in of alice'),
    });
    await createCognitoSecrets(store).setPassword('carol', 'Temporary-1');
    await expect(fetchNow(sourceFor('carol'))).rejects.toMatchObject({
      kind: 'needs-input',
      message:
        'Token carol-token: Amazon Cognito asks for a new password to sign in to profile carol. Load the profile (`rolecall load carol` or the window) and answer there; the token is then served from that sign-in.',
    });
  });

  it('refuses a profile that is not a Cognito profile, or is gone, in words', async () => {
    await expect(fetchNow(sourceFor('gone'))).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('Token gone-token: There is no profile named gone'),
    });
    await expect(fetchNow(sourceFor('plain'))).rejects.toMatchObject({
      kind: 'refused',
      message: expect.stringContaining(
        'Token plain-token: profile plain is no Amazon Cognito profile (it has no cognito_user_pool_id)',
      ),
    });
  });
});
