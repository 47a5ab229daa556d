import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-providers';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoItems } from '../src-main/core/cognito/cognito-secrets';
import { keychainScope, scopedSecretStore } from '../src-main/core/keychain-scope';
import { defaultRolecallHome } from '../src-main/core/paths';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import { FakeCognito } from './fixtures/fake-cognito';
import type { FakeSts } from './fixtures/fake-sts';
import { startFakeStsFor } from './helpers/fake-sts';
import { runCli, startCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { filesUnder, placesOf, processView, whereFound } from './helpers/secret-search';
import { withEnv } from './helpers/with-env';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * Amazon Cognito profiles with real processes and the real keychain: set up with `rolecall
 * cognito add` (both identity pool flows), loaded by `rolecall serve`, read by the AWS SDK for
 * JavaScript, renewed with the refresh token and then, once that has expired, with the password;
 * a user who must choose a new password answers through `rolecall answer`; a wrong password is
 * said in words. Then every password, token and credential is searched for where it must not be.
 */
const SECOND = 1000;
const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/CognitoBasic`;
const PASSWORDS = {
  alice: 'Alice-Correct-Horse-1',
  carolTemporary: 'Carol-Temporary-1',
  carolChosen: 'Carol-Chosen-Password-2',
  wrong: 'Not-Daves-Password-3',
  dave: 'Daves-Password-3',
};
const CONFIG_BEFORE = '# my AWS profiles\r\n[profile other]\r\nregion = us-east-1 ; a comment\r\n';

let ws: Workspace;
let sts: FakeSts;
let cognito: FakeCognito;
let env: NodeJS.ProcessEnv;
let serve: ServeProcess;
let token = '';
const logs: string[] = [];
const processViews: string[] = [];
const served: string[] = [];

async function rolecall(args: string[], input?: string) {
  const result = await runCli(args, env, input);
  logs.push(result.stdout, result.stderr);
  return result;
}

async function ok(args: string[], input?: string) {
  const result = await rolecall(args, input);
  expect(result.code, `rolecall ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

async function until(what: string, check: () => Promise<boolean>, ms = 30 * SECOND) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Snapshot {
  entries: Array<{ profile: string; state: string; refreshCount: number; lastError?: string }>;
  inputRequests?: Array<{ key: string; kind: string; prompt: string; waiting: string[] }>;
}

async function snapshot(): Promise<Snapshot> {
  const response = await fetch(new URL('api/getSnapshot', serve.info.url), {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: '{}',
  });
  const text = await response.text();
  logs.push(text);
  return JSON.parse(text) as Snapshot;
}

/** The slot read as the AWS SDK for JavaScript reads a container endpoint. */
async function sdkCredentials(profile: string) {
  const exports = JSON.parse(
    (await ok(['env', '--profile', profile, '--format', 'json'])).stdout,
  ) as Record<string, string>;
  const credentials = await withEnv(exports, () => fromHttp({})());
  served.push(credentials.secretAccessKey, credentials.sessionToken ?? '');
  return credentials;
}

function addArgs(profile: string, username: string, extra: string[] = []): string[] {
  return [
    'cognito',
    'add',
    profile,
    '--user-pool-id',
    cognito.userPoolId,
    '--client-id',
    cognito.clientId,
    '--username',
    username,
    '--identity-pool-id',
    cognito.identityPoolId,
    '--stdin',
    ...extra,
  ];
}

beforeAll(async () => {
  ws = await createWorkspace();
  sts = await startFakeStsFor(ws);
  sts.createRole({ roleName: 'CognitoBasic', accountId: ACCOUNT });
  // Identity pool credentials last 8 s here, so renewals happen within a test.
  cognito = await FakeCognito.start({ sts, credentialSeconds: 8 });
  cognito.addUser({ username: 'alice', password: PASSWORDS.alice });
  cognito.addUser({
    username: 'carol',
    password: PASSWORDS.carolTemporary,
    mustChangePassword: true,
  });
  cognito.addUser({ username: 'dave', password: PASSWORDS.dave });
  env = {
    ...ws.env,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: cognito.url,
  };
  await writeFile(ws.configFile, CONFIG_BEFORE);
  serve = await startServe(env, ['--verbose']);
  processViews.push(...(await processView(serve.child.pid!)));
  token = (await ok(['token'])).stdout.trim();
}, 60 * SECOND);

afterAll(async () => {
  await serve?.stop('SIGKILL');
  const keychain = scopedSecretStore(
    createKeytarStore(),
    keychainScope(env.ROLECALL_HOME!, defaultRolecallHome(env)),
  );
  for (const profile of ['app', 'app-basic', 'carol', 'dave']) {
    for (const item of Object.values(cognitoItems)) await keychain.delete(item(profile));
  }
  await cognito?.close();
  await sts?.close();
  await ws?.dispose();
});

describe('Amazon Cognito profiles', () => {
  it('are added with rolecall cognito add, the rest of the config file kept byte for byte', async () => {
    const added = await ok(addArgs('app', 'alice'), `${PASSWORDS.alice}\n`);
    expect(added.stderr).toBe(
      `Added profile app to ${ws.configFile}; its password is in the keychain. Load it with \`rolecall load app\`.\n`,
    );
    await ok(
      addArgs('app-basic', 'alice', ['--role-arn', ROLE, '--auth-flow', 'USER_PASSWORD_AUTH']),
      `${PASSWORDS.alice}\n`,
    );
    const config = await readFile(ws.configFile, 'utf8');
    expect(config.startsWith(CONFIG_BEFORE)).toBe(true);
    expect(config).toContain(`\r\n[profile app-basic]\r\nregion = eu-west-1\r\n`);
    expect(config).not.toContain(PASSWORDS.alice);

    const again = await rolecall(addArgs('app', 'alice'), `${PASSWORDS.alice}\n`);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(
      `${ws.configFile} already has a section for profile app, so nothing was changed`,
    );
    expect(await readFile(ws.configFile, 'utf8')).toBe(config);
  });

  it(
    'load both ways and serve the identity pool’s credentials to the AWS SDK',
    async () => {
      await ok(['load', 'app', '--slot']);
      await ok(['load', 'app-basic', '--slot']);
      expect(cognito.callCount('InitiateAuth', 'USER_SRP_AUTH')).toBe(1);
      expect(cognito.callCount('InitiateAuth', 'USER_PASSWORD_AUTH')).toBe(1);

      const enhanced = await sdkCredentials('app');
      expect(cognito.issuedAccessKeyIds).toContain(enhanced.accessKeyId);
      expect(enhanced.expiration).toBeInstanceOf(Date);

      const basic = await sdkCredentials('app-basic');
      const identity = await new STSClient({
        region: 'eu-west-1',
        endpoint: sts.url,
        maxAttempts: 1,
        credentials: basic,
      }).send(new GetCallerIdentityCommand({}));
      expect(identity.Arn).toMatch(
        new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/CognitoBasic/`),
      );
    },
    30 * SECOND,
  );

  it(
    'renew with the refresh token, then with the password once the refresh token has expired',
    async () => {
      const count = (flow: string) => cognito.callCount('InitiateAuth', flow);
      const srpBefore = count('USER_SRP_AUTH');
      const renewals = async () =>
        (await snapshot()).entries.find((entry) => entry.profile === 'app')!.refreshCount;

      // The ID token ends early (a sign-out elsewhere would do the same): the next renewal
      // refreshes it.
      cognito.expireTokens();
      const first = await renewals();
      await until(
        'a renewal with the refresh token',
        async () => count('REFRESH_TOKEN_AUTH') >= 1 && (await renewals()) > first,
      );
      expect(count('USER_SRP_AUTH')).toBe(srpBefore);
      expect(cognito.issuedAccessKeyIds).toContain((await sdkCredentials('app')).accessKeyId);

      cognito.expireTokens();
      cognito.expireRefreshTokens();
      await until(
        'a new SRP sign-in with the password',
        async () => count('USER_SRP_AUTH') > srpBefore,
      );
      await until('fresh credentials after it', async () => {
        const entry = (await snapshot()).entries.find((each) => each.profile === 'app')!;
        return entry.state === 'fresh';
      });
      expect(cognito.issuedAccessKeyIds).toContain((await sdkCredentials('app')).accessKeyId);
    },
    60 * SECOND,
  );

  it(
    'ask once for a new password when Cognito requires one, and keep it',
    async () => {
      await ok(addArgs('carol', 'carol'), `${PASSWORDS.carolTemporary}\n`);
      const load = startCli(['load', 'carol', '--slot'], env);
      await until('the new-password question', async () =>
        ((await snapshot()).inputRequests ?? []).some(
          (question) => question.kind === 'new-password',
        ),
      );
      const question = (await snapshot()).inputRequests!.find(
        (each) => each.kind === 'new-password',
      )!;
      expect(question).toMatchObject({
        key: `cognito-new-password:${cognito.userPoolId}/carol`,
        prompt: `Amazon Cognito requires a new password for carol in Cognito user pool ${cognito.userPoolId}; choose one`,
        waiting: ['carol'],
      });
      const answered = await ok(['answer', 'carol'], `${PASSWORDS.carolChosen}\n`);
      expect(answered.stderr).toMatch(/Accepted; carol can go on/);
      expect(await load.done).toBe(0);
      logs.push(load.stderr());
      expect(cognito.user('carol').password).toBe(PASSWORDS.carolChosen);
      // The keychain has the new one: the next full sign-in uses it.
      cognito.expireTokens();
      cognito.expireRefreshTokens();
      await ok(['load', 'carol', '--slot']);
      expect((await snapshot()).entries.find((entry) => entry.profile === 'carol')?.state).toBe(
        'fresh',
      );
    },
    60 * SECOND,
  );

  it(
    'say in words that the password is wrong',
    async () => {
      await ok(addArgs('dave', 'dave'), `${PASSWORDS.wrong}\n`);
      const load = await rolecall(['load', 'dave']);
      expect(load.code).not.toBe(0);
      expect(load.stderr).toContain(
        `Profile dave: Amazon Cognito refused the sign-in of dave in user pool ${cognito.userPoolId} (Incorrect username or password.). If the password changed, store the new one with \`rolecall cognito set-password dave\`, then load the profile again.`,
      );
      await ok(['cognito', 'set-password', 'dave', '--stdin'], `${PASSWORDS.dave}\n`);
      await ok(['load', 'dave']);
    },
    30 * SECOND,
  );

  it(
    "serve the user pool's own tokens at GET /oauth/<name> and from rolecall oauth token, renewed by the broker",
    async () => {
      // --every 2: the running server renews within the test.
      const added = await ok([
        'oauth',
        'add',
        'app-api',
        '--cognito-profile',
        'app',
        '--every',
        '2',
      ]);
      expect(added.stderr).toMatch(
        /^Added token app-api \(the user pool tokens of profile app\); it expires at \d{4}-/,
      );
      // Printed tokens are not pushed to the logs searched for leaks below.
      const printed = await runCli(['oauth', 'token', 'app-api'], env);
      expect(printed.code, printed.stderr).toBe(0);
      const accessToken = printed.stdout.trim();
      expect(cognito.issuedSecrets()).toContain(accessToken);
      const json = await runCli(['oauth', 'token', 'app-api', '--json'], env);
      const body = JSON.parse(json.stdout) as Record<string, unknown>;
      // Renewed every 2 s, so it may be a newer token than the one printed above.
      expect(body).toMatchObject({ token_type: 'Bearer', scope: null });
      expect(cognito.issuedSecrets()).toEqual(
        expect.arrayContaining([body.access_token, body.id_token]),
      );

      const served = async () => {
        const response = await fetch(new URL('oauth/app-api', serve.info.url), {
          headers: { authorization: token },
        });
        expect(response.status).toBe(200);
        return (await response.json()) as Record<string, unknown>;
      };
      const refreshesBefore = cognito.callCount('InitiateAuth', 'REFRESH_TOKEN_AUTH');
      const first = await served();
      expect(Object.keys(first).sort()).toEqual(
        ['access_token', 'expires_at', 'id_token', 'scope', 'token_type'].sort(),
      );
      expect(cognito.issuedSecrets()).toEqual(
        expect.arrayContaining([first.access_token, first.id_token]),
      );
      // Nothing else asks for it now: the renewals are the server's, every 2 s.
      await until(
        'renewals with the refresh token by the server',
        async () => cognito.callCount('InitiateAuth', 'REFRESH_TOKEN_AUTH') >= refreshesBefore + 2,
      );
      const later = await served();
      expect(later.access_token).not.toBe(first.access_token);
      expect(cognito.issuedSecrets()).toContain(later.access_token);

      const mixed = await rolecall([
        'oauth',
        'add',
        'app-api',
        '--cognito-profile',
        'app',
        '--client-id',
        'x',
      ]);
      expect(mixed.code).not.toBe(0);
      expect(mixed.stderr.replace(/\s+/g, ' ')).toContain(
        '--client-id is for OAuth2 clients; --cognito-profile takes the user pool, app client and secrets from the profile and the keychain',
      );
      await ok(['oauth', 'remove', 'app-api']);
    },
    60 * SECOND,
  );

  it(
    'leave no password, token or credential on disk, in a log or in a process view',
    async () => {
      await serve.stop();
      logs.push(serve.stderr());
      // A restart brings the slots back from the keychain.
      serve = await startServe(env, ['--verbose']);
      processViews.push(...(await processView(serve.child.pid!)));
      expect(cognito.issuedAccessKeyIds).toContain((await sdkCredentials('app')).accessKeyId);
      await serve.stop();
      logs.push(serve.stderr());

      const secrets = [
        ...new Set([
          ...Object.values(PASSWORDS),
          ...cognito.issuedSecrets(),
          ...sts.issuedSecrets(),
          ...served.filter(Boolean),
        ]),
      ];
      // The session really signed in several times and renewed: tokens of each kind were issued.
      expect(secrets.length).toBeGreaterThan(30);
      const files = await filesUnder(env.ROLECALL_HOME!);
      const leaks = whereFound(secrets, [
        ...files.map((file) => ({ where: file.path, text: file.text })),
        { where: ws.configFile, text: await readFile(ws.configFile, 'utf8') },
        ...placesOf('log', logs),
        ...placesOf('process view', processViews),
      ]);
      expect(leaks).toEqual([]);
    },
    60 * SECOND,
  );
});
