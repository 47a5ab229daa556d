import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromSSO } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIdentityCenter, type FakeIdentityCenter } from './fixtures/fake-identity-center';
import { loginWithApprovedCode, runLogin } from './helpers/cli-login';
import { runCli, startCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';
import { withEnv } from './helpers/with-env';

/**
 * IAM Identity Center end to end: real `rolecall` processes sign in to a fake Identity Center
 * (reached through AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_SSO_OIDC), discover roles, and serve
 * role credentials; the AWS SDK's own SSO provider uses the token Rolecall wrote.
 */
let ws: Workspace;
let fake: FakeIdentityCenter;
let serve: ServeProcess;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ws = await createWorkspace();
  fake = await startFakeIdentityCenter({ accounts: 3, rolesPerAccount: 2, pageSize: 2 });
  env = {
    ...ws.env,
    // ~/.aws/sso/cache lands in the workspace, never in the real home directory.
    HOME: ws.dir,
    AWS_ENDPOINT_URL_SSO: fake.url,
    AWS_ENDPOINT_URL_SSO_OIDC: fake.url,
  };
  await ws.writeConfig(
    [
      '[sso-session corp]',
      `sso_start_url = ${fake.startUrl}`,
      'sso_region = eu-west-1',
      '',
      '[profile pinned]',
      'sso_session = corp',
      'sso_account_id = 100000000001',
      'sso_role_name = Role1',
      'region = eu-west-1',
      '',
    ].join('\n'),
  );
  serve = await startServe(env);
});

afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

/** Follows the sign-in URL the CLI prints, like a browser whose user is already signed in. */
async function completeInBrowser(stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let url: string | undefined;
  while (!url) {
    url = /^\s+(http\S+)$/m.exec(stderr())?.[1];
    if (Date.now() > deadline) throw new Error(`no sign-in URL printed: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const authorize = await fetch(url, { redirect: 'manual' });
  expect(authorize.status).toBe(302);
  const callback = await fetch(authorize.headers.get('location')!);
  expect(await callback.text()).toContain('Signed in');
}

describe('IAM Identity Center', () => {
  it('signs in with the browser flow (PKCE), discovers every role, and lists them as profiles', async () => {
    const login = runLogin(env, ['corp', '--no-browser']);
    await completeInBrowser(login.stderr);
    expect(await login.done).toBe(0);
    expect(login.stderr()).toContain('Found 7 roles in 3 accounts.');

    const profiles = JSON.parse((await runCli(['profiles', '--json'], env)).stdout) as Array<{
      name: string;
      loadable: boolean;
    }>;
    const names = profiles.map((profile) => profile.name);
    expect(names).toContain('pinned');
    expect(names).toContain('Account 01/Role1');
    // Two roles per account, plus AdministratorAccess in the first.
    expect(profiles.filter((profile) => profile.name.startsWith('Account ')).length).toBe(7);
  });

  it('serves role credentials of a discovered profile and of a configured one', async () => {
    expect((await runCli(['load', 'Account 02/Role2', '--slot'], env)).code).toBe(0);
    expect((await runCli(['load', 'pinned'], env)).code).toBe(0);
    const token = (await runCli(['token'], env)).stdout.trim();
    const slot = await fetch(
      new URL(`slot/${encodeURIComponent('Account 02/Role2')}`, serve.info.url),
      {
        headers: { authorization: token },
      },
    );
    const body = (await slot.json()) as Record<string, string>;
    // Identity Center's roles live under aws-reserved/sso.amazonaws.com/ with a generated name;
    // GetRoleCredentials does not say it, so no RoleArn is made up. AWS SDKs read AccountId.
    expect(body).not.toHaveProperty('RoleArn');
    expect(body.AccountId).toBe('100000000002');
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout) as {
      entries: Array<Record<string, unknown>>;
    };
    const entry = status.entries.find((each) => each.profile === 'Account 02/Role2');
    expect(entry).toMatchObject({ accountId: '100000000002', roleName: 'Role2' });
    expect(entry).not.toHaveProperty('roleArn');
    // aws-sso-cli's client lists slots with the account and role name.
    const slots = await fetch(new URL('slot', serve.info.url), {
      headers: { authorization: token },
    });
    expect(await slots.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          ProfileName: 'Account 02/Role2',
          AccountId: '100000000002',
          RoleName: 'Role2',
        }),
      ]),
    );
  });

  it('shares the sign-in with the AWS SDK through the AWS CLI token cache', async () => {
    await withEnv({ HOME: ws.dir, AWS_ENDPOINT_URL_SSO: fake.url }, async () => {
      const credentials = await fromSSO({
        profile: 'pinned',
        configFilepath: ws.configFile,
        filepath: ws.credentialsFile,
      })();
      expect(credentials.accessKeyId).toBeTruthy();
      expect(credentials.expiration).toBeInstanceOf(Date);
    });
    const cacheFiles = await readdir(join(ws.dir, '.aws', 'sso', 'cache'));
    const text = await readFile(join(ws.dir, '.aws', 'sso', 'cache', cacheFiles[0]!), 'utf8');
    expect(text).not.toContain('refreshToken');
    expect(text).not.toContain('clientSecret');
  });

  it('renews the token after the portal stops accepting it, without a new sign-in', async () => {
    fake.expireAllTokens();
    expect((await runCli(['load', 'pinned'], env)).code).toBe(0);
  });

  it('asks for a new sign-in when the session has ended, naming the command', async () => {
    fake.expireAllTokens();
    fake.revokeRefreshTokens();
    // Without a terminal, the load says what it waits for and how to give it, and waits.
    const load = startCli(['load', 'Account 01/Role1'], env);
    await load.printed('Sign in with `rolecall login corp`');
    load.kill('SIGINT');
    expect(await load.done, load.stderr()).toBe(130);
  });

  it('signs in with the device code flow', async () => {
    expect((await loginWithApprovedCode(env, fake, 'corp')).code).toBe(0);
    expect((await runCli(['load', 'pinned'], env)).code).toBe(0);
  });

  it('shows each Identity Center session in `rolecall status`, and when its sign-in ends', async () => {
    const status = await runCli(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      /\nIAM Identity Center\nSESSION +STATE +ENDS IN +ENDS AT\ncorp +signed in, renewable +7h \d\dm +\d{4}-\d\d-\d\dT/,
    );
    const json = JSON.parse((await runCli(['status', '--json'], env)).stdout) as {
      sessions: unknown[];
    };
    expect(json.sessions).toEqual([
      expect.objectContaining({ name: 'corp', signedIn: true, renewable: true }),
    ]);
  });

  it('reports sessions and signs out through the control API, unloading dependents', async () => {
    const token = (await runCli(['token'], env)).stdout.trim();
    const call = async (name: string, body: unknown) => {
      const response = await fetch(new URL(`api/${name}`, serve.info.url), {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    const sessions = await call('listSessions', {});
    expect(sessions.body).toEqual([
      expect.objectContaining({
        name: 'corp',
        startUrl: fake.startUrl,
        region: 'eu-west-1',
        signedIn: true,
      }),
    ]);
    expect((await runCli(['load', 'pinned', '--slot'], env)).code).toBe(0);
    const signedOut = await call('signOut', { session: 'corp' });
    expect(signedOut.status).toBe(200);
    expect(signedOut.body).toMatchObject({ slots: [], entries: [] });
    expect((await call('listSessions', {})).body).toEqual([
      expect.objectContaining({ name: 'corp', signedIn: false }),
    ]);
    expect((await call('signOut', { session: 'nope' })).status).toBe(404);
    // Sign in again for the CLI sign-out below.
    expect((await loginWithApprovedCode(env, fake, 'corp')).code).toBe(0);
    expect((await runCli(['load', 'pinned'], env)).code).toBe(0);
    expect((await runCli(['load', 'Account 02/Role2', '--slot'], env)).code).toBe(0);
  });

  it('signs out: the token is gone and dependent slots stop being served', async () => {
    const result = await runCli(['logout', 'corp'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Signed out of corp; stopped serving 2 profiles\./);
    const status = JSON.parse((await runCli(['status', '--json'], env)).stdout);
    expect(status.entries).toEqual([]);
    const again = startCli(['load', 'pinned'], env);
    await again.printed('Sign in with `rolecall login corp`');
    again.kill('SIGINT');
    expect(await again.done, again.stderr()).toBe(130);
    // Signing out twice is not a failure: the user is where they asked to be.
    const twice = await runCli(['logout', 'corp'], env);
    expect(twice).toMatchObject({ code: 0, stderr: 'You were not signed in to corp.\n' });
  });

  it("lists a signed-out session's roles as needing a sign-in first, not as loadable", async () => {
    const profiles = JSON.parse((await runCli(['profiles', '--json'], env)).stdout) as Array<{
      name: string;
      loadable: boolean;
      signInFirst?: string;
    }>;
    for (const name of ['pinned', 'Account 01/Role1'])
      expect(profiles.find((profile) => profile.name === name)).toMatchObject({
        loadable: false,
        signInFirst: 'corp',
      });
    const table = (await runCli(['profiles'], env)).stdout;
    expect(table).toMatch(
      /Account 01\/Role1 +sso +no +you are not signed in to corp; sign in with `rolecall login corp`/,
    );
  });

  it('makes no AWS request while an AWS file has a section the SDK cannot read safely', async () => {
    // The SDK's own clients would parse this file too, and its parser would then replace
    // Object.keys in the whole server process.
    await writeFile(ws.credentialsFile, '[constructor]\nkeys = x\n');
    try {
      const callsBefore = JSON.stringify(fake.stats.calls);
      const login = runLogin(env, ['corp', '--device-code', '--no-browser']);
      expect(await login.done).toBe(1);
      const refusal = `${ws.credentialsFile} line 1: \`[constructor]\` is a section the AWS SDK inside Rolecall cannot read safely (it is named after a JavaScript built-in). Rename or remove that section; until then Rolecall loads no profile and makes no request to AWS.`;
      expect(login.stderr()).toContain(refusal);
      expect(JSON.stringify(fake.stats.calls)).toBe(callsBefore);
      // The server is unharmed (answering walks objects with Object.keys), and says the same.
      const profiles = await runCli(['profiles', '--json'], env);
      expect(profiles.stderr).toBe(`rolecall: ${refusal}\n`);
      expect(profiles.code).toBe(1);
      expect((await runCli(['status', '--json'], env)).code).toBe(0);
    } finally {
      await writeFile(ws.credentialsFile, '');
    }
  });
});
