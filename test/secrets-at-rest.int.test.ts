import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainScope, scopedSecretStore } from '../src-main/core/keychain-scope';
import { defaultRolecallHome } from '../src-main/core/paths';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import { CA_KEY_ACCOUNT, LEAF_KEY_ACCOUNT } from '../src-main/core/tls/tls-material';
import { cognitoItems } from '../src-main/core/cognito/cognito-secrets';
import { FakeCognito } from './fixtures/fake-cognito';
import { startFakeIdentityCenter, type FakeIdentityCenter } from './fixtures/fake-identity-center';
import { FakeOAuth } from './fixtures/fake-oauth';
import { loginWithApprovedCode } from './helpers/cli-login';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { filesUnder, placesOf, processView, whereFound } from './helpers/secret-search';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * A full session — sign in, load an SSO role and a credential_process profile, renewals of both
 * and of the SSO access token, a restart — then a search for every secret that passed through
 * Rolecall in every file under ROLECALL_HOME, the AWS CLI's token cache, the logs and the
 * server's command line and environment. Secrets belong in the keychain only.
 */
let ws: Workspace;
let fake: FakeIdentityCenter;
let cognito: FakeCognito;
let oauth: FakeOAuth;
const OAUTH_CLIENT_SECRET = 'oauth-client-secret-7f3a9c';
let env: NodeJS.ProcessEnv;
const COGNITO_PASSWORD = 'Cognito-Password-At-Rest-1';
const logs: string[] = [];
const processViews: string[] = [];
const served: string[] = [];

const SECOND = 1000;

async function until(what: string, check: () => Promise<boolean>, ms = 20 * SECOND) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function status(): Promise<Array<{ profile: string; refreshCount: number }>> {
  const result = await runCli(['status', '--json'], env);
  logs.push(result.stderr);
  return (
    JSON.parse(result.stdout) as { entries: Array<{ profile: string; refreshCount: number }> }
  ).entries;
}

async function recordProcessView(serve: ServeProcess): Promise<void> {
  processViews.push(...(await processView(serve.child.pid!)));
}

async function credentialProcess(profile: string): Promise<void> {
  const result = await runCli(['credential-process', '--profile', profile], env);
  logs.push(result.stderr);
  expect(result.code, result.stderr).toBe(0);
  const body = JSON.parse(result.stdout) as Record<string, string>;
  served.push(body.AccessKeyId!, body.SecretAccessKey!, body.SessionToken!);
}

beforeAll(async () => {
  ws = await createWorkspace();
  // Short lives, so the session includes renewals: role credentials every ~4 s, the SSO access
  // token (renewed 5 minutes before it ends) every ~2 s with a rotating refresh token.
  fake = await startFakeIdentityCenter({
    accounts: 1,
    rolesPerAccount: 1,
    credentialsTtlSeconds: 8,
    accessTokenTtlSeconds: 302,
  });
  // Identity pool credentials renewed every ~4 s too, with the user pool's tokens kept between.
  cognito = await FakeCognito.start({
    credentialSeconds: 8,
    clientSecret: 'client-secret-at-rest',
  });
  cognito.addUser({ username: 'alice', password: COGNITO_PASSWORD });
  // OAuth2 tokens that live 4 s: the server renews them, rotating the refresh token each time.
  oauth = await FakeOAuth.start();
  oauth.lifetimeSeconds = 4;
  oauth.clients.set('api-client', { secret: OAUTH_CLIENT_SECRET, auth: 'basic' });
  oauth.clients.set('app', { auth: 'basic' });
  env = {
    ...ws.env,
    HOME: ws.dir,
    AWS_ENDPOINT_URL_SSO: fake.url,
    AWS_ENDPOINT_URL_SSO_OIDC: fake.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.url,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY: cognito.url,
  };
  const processSource = await ws.script(
    'short',
    `#!/usr/bin/env node
const nonce = require('crypto').randomBytes(16).toString('hex');
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'ASIAPROC' + nonce.slice(0, 12).toUpperCase(),
  SecretAccessKey: 'procsecret-' + nonce, SessionToken: 'procsession-' + nonce,
  Expiration: new Date(Date.now() + 6000).toISOString() }));
`,
  );
  await ws.writeConfig(
    [
      '[sso-session corp]',
      `sso_start_url = ${fake.startUrl}`,
      'sso_region = eu-west-1',
      '[profile sso-role]',
      'sso_session = corp',
      'sso_account_id = 100000000000',
      'sso_role_name = Role1',
      '[profile proc]',
      `credential_process = ${processSource}`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  const keychain = scopedSecretStore(
    createKeytarStore(),
    keychainScope(env.ROLECALL_HOME!, defaultRolecallHome(env)),
  );
  for (const item of Object.values(cognitoItems)) await keychain.delete(item('app'));
  await cognito?.close();
  await fake?.close();
  await oauth?.close();
  await ws?.dispose();
});

describe('secrets at rest', () => {
  it('leaves no secret in any file, log, command line or environment after a full session', async () => {
    let serve = await startServe(env, ['--tls', '--verbose']);
    await recordProcessView(serve);

    const login = await loginWithApprovedCode(env, fake, 'corp');
    expect(login.code).toBe(0);
    logs.push(login.output);

    const added = await runCli(
      [
        'cognito',
        'add',
        'app',
        '--user-pool-id',
        cognito.userPoolId,
        '--client-id',
        cognito.clientId,
        '--username',
        'alice',
        '--identity-pool-id',
        cognito.identityPoolId,
        '--stdin',
      ],
      env,
      `${COGNITO_PASSWORD}\nclient-secret-at-rest\n`,
    );
    logs.push(added.stdout, added.stderr);
    expect(added.code, added.stderr).toBe(0);

    for (const [profile, slot] of [
      ['sso-role', true],
      ['proc', false],
      ['app', true],
    ] as const) {
      const result = await runCli(['load', profile, ...(slot ? ['--slot'] : [])], env);
      logs.push(result.stdout, result.stderr);
      expect(result.code, result.stderr).toBe(0);
    }
    await credentialProcess('proc');
    await credentialProcess('sso-role');
    await credentialProcess('app');
    // The next renewal of app refreshes the user pool's tokens with the refresh token.
    cognito.expireTokens();
    for (const [name, flags, secret] of [
      ['cc', ['--client-id', 'api-client', '--client-secret-stdin'], OAUTH_CLIENT_SECRET],
      ['rt', ['--client-id', 'app', '--refresh-token-stdin'], oauth.issueRefreshToken('app')],
    ] as const) {
      const added = await runCli(
        ['oauth', 'add', name, '--token-url', oauth.url, ...flags],
        env,
        `${secret}\n`,
      );
      logs.push(added.stdout, added.stderr);
      expect(added.code, added.stderr).toBe(0);
      const printed = await runCli(['oauth', 'token', name], env);
      logs.push(printed.stderr);
      expect(printed.code, printed.stderr).toBe(0);
    }
    await until('renewals of both tokens by the server', async () => oauth.requests.length >= 6);
    await until('renewals of every profile', async () =>
      (await status()).every((entry) => entry.refreshCount >= 2),
    );
    await credentialProcess('proc');
    await credentialProcess('sso-role');
    await credentialProcess('app');
    expect(cognito.callCount('InitiateAuth', 'REFRESH_TOKEN_AUTH')).toBeGreaterThan(0);

    await serve.stop();
    logs.push(serve.stderr());
    serve = await startServe(env, ['--tls', '--verbose']);
    await recordProcessView(serve);
    await credentialProcess('proc');
    await credentialProcess('sso-role');
    await serve.stop();
    logs.push(serve.stderr());

    const token = (await runCli(['token'], env)).stdout.trim().replace('Bearer ', '');
    const keychain = scopedSecretStore(
      createKeytarStore(),
      keychainScope(env.ROLECALL_HOME!, defaultRolecallHome(env)),
    );
    const privateKeys = await Promise.all(
      [CA_KEY_ACCOUNT, LEAF_KEY_ACCOUNT].map(async (account) => {
        const pem = await keychain.get(account);
        expect(pem).toContain('PRIVATE KEY');
        // The key material itself: the first line of the base64 body.
        return pem!.split('\n')[1]!;
      }),
    );
    const ssoSecrets = fake.issuedSecrets();
    // The session really had renewals: several access and refresh tokens were handed out.
    expect(ssoSecrets.filter((secret) => secret.startsWith('fakerefresh-')).length).toBeGreaterThan(
      1,
    );
    expect(oauth.reuses).toBe(0);
    const oauthSecrets = [
      OAUTH_CLIENT_SECRET,
      ...oauth.issuedRefreshTokens,
      ...oauth.issuedAccessTokens,
    ];
    const cognitoSecrets = [COGNITO_PASSWORD, 'client-secret-at-rest', ...cognito.issuedSecrets()];
    const secrets = [
      ...new Set([
        token,
        ...privateKeys,
        ...ssoSecrets,
        ...cognitoSecrets,
        ...served,
        ...oauthSecrets,
      ]),
    ];
    expect(secrets.length).toBeGreaterThan(15);

    const files = await filesUnder(env.ROLECALL_HOME!);
    expect(files.map((file) => file.path.slice(env.ROLECALL_HOME!.length + 1)).sort()).toEqual(
      expect.arrayContaining(['layout.json', 'tls/ca.pem', 'tls/leaf.pem']),
    );
    const leaks = whereFound(secrets, [
      ...files.map((file) => ({ where: file.path, text: file.text })),
      { where: ws.configFile, text: await readFile(ws.configFile, 'utf8') },
      ...placesOf('log', logs),
      ...placesOf('process view', processViews),
    ]);
    expect(leaks).toEqual([]);

    // Owner-only, but for the public certificates: anyone may read those (and pass through the
    // home to reach them), none of them holds a key (the search above says so).
    const publicFiles = new Set(['tls', 'tls/ca.pem', 'tls/leaf.pem']);
    for (const file of files) {
      const name = file.path.slice(env.ROLECALL_HOME!.length + 1);
      const expected =
        name === ''
          ? 0o711
          : publicFiles.has(name)
            ? file.directory
              ? 0o755
              : 0o644
            : file.directory
              ? 0o700
              : 0o600;
      expect(file.mode & 0o777, file.path).toBe(expected);
    }

    // The AWS CLI's cache gets the access token (that is what sharing means) and nothing else.
    const cache = await filesUnder(join(ws.dir, '.aws', 'sso', 'cache'));
    expect(cache.length).toBeGreaterThan(0);
    const withheld = ssoSecrets.filter((secret) => !secret.startsWith('fakeaccess-'));
    for (const file of cache.filter((entry) => !entry.directory)) {
      expect(file.mode & 0o777, file.path).toBe(0o600);
      expect(withheld.filter((secret) => file.text.includes(secret))).toEqual([]);
    }
  }, 90_000);
});
