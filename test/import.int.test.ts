import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainScope, scopedSecretStore } from '../src-main/core/keychain-scope';
import {
  ACCESS_KEYS_INDEX_ACCOUNT,
  accessKeysAccount,
  createKeyStore,
} from '../src-main/core/keys/key-store';
import { defaultRolecallHome } from '../src-main/core/paths';
import {
  leappAccessKeyIdAccount,
  leappSecretAccessKeyAccount,
} from '../src-main/core/import/leapp-candidates';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import { startFakeIdentityCenter, type FakeIdentityCenter } from './fixtures/fake-identity-center';
import type { FakeSts, FakeUser } from './fixtures/fake-sts';
import {
  addAwsVaultSecretServiceItem,
  awsVaultCredentials,
  sessionKey,
  writeAwsVaultFile,
} from './helpers/aws-vault-fixture';
import { loginWithApprovedCode } from './helpers/cli-login';
import { startFakeStsFor } from './helpers/fake-sts';
import { deleteCollection, keyringDigest } from './helpers/keyring-bus';
import { leappSession, leappWorkspace, writeLeappWorkspace } from './helpers/leapp-fixture';
import { onTerminal } from './helpers/on-terminal';
import {
  CLI,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/rolecall-process';
import { filesUnder } from './helpers/secret-search';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * Moving in from Leapp and from aws-vault with real processes: each tool's data made by the test
 * in that tool's own format (Leapp's workspace encrypted with crypto-js under node-machine-id's
 * key, its keys in the keychain under service Leapp; aws-vault's keys as JWE files and as items of
 * the `awsvault` collection of the real gnome-keyring), imported, imported again, and then loaded
 * against the fake STS and the fake IAM Identity Center. A dry run and every refusal change
 * nothing: every file under the test's HOME and every item of every keyring collection are the
 * same afterwards, byte for byte.
 */
const USER_CONFIG = '# my own profiles\r\n[profile mine]\r\nregion = eu-north-1\r\n';
const PASSPHRASE = 'correct horse battery staple';

let ws: Workspace;
let env: NodeJS.ProcessEnv;
let sts: FakeSts;
let idc: FakeIdentityCenter;
let alice: FakeUser;
let bob: FakeUser;
let carol: FakeUser;
let serve: ServeProcess | undefined;
let awsVaultCollection: string | undefined;
const leapp = createKeytarStore('Leapp');

const keys = () =>
  createKeyStore(
    scopedSecretStore(
      createKeytarStore(),
      keychainScope(env.ROLECALL_HOME!, defaultRolecallHome(env)),
    ),
  );

async function rolecall(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(args, { ...env, ...extraEnv });
}

/** Every file under the test's HOME (config, Leapp's folder, aws-vault's keys…) and the keyring. */
async function fingerprint(): Promise<{ files: Record<string, string>; keyring: string }> {
  const files: Record<string, string> = {};
  for (const file of await filesUnder(ws.dir)) {
    files[file.path] = createHash('sha256').update(file.text).digest('hex');
  }
  // The other tool's items and the keys an import writes: other test files share the keyring,
  // and the server this file starts rewrites its slots' credentials at every renewal.
  const scope = keychainScope(env.ROLECALL_HOME!, defaultRolecallHome(env));
  const keyring = await keyringDigest(
    ({ collection, attributes }) =>
      collection.includes('awsvault') ||
      attributes.service === 'Leapp' ||
      (attributes.account ?? '').startsWith(scope + accessKeysAccount('')) ||
      attributes.account === scope + ACCESS_KEYS_INDEX_ACCOUNT,
  );
  return { files, keyring };
}

beforeAll(async () => {
  ws = await createWorkspace();
  sts = await startFakeStsFor(ws);
  idc = await startFakeIdentityCenter({
    accounts: 2,
    rolesPerAccount: 1,
    roleCredentials: (request) => sts.identityCenterRoleCredentials(request),
  });
  env = { ...ws.env, AWS_ENDPOINT_URL_SSO: idc.url, AWS_ENDPOINT_URL_SSO_OIDC: idc.url };
  delete env.AWS_VAULT_BACKEND;
  delete env.AWS_VAULT_FILE_PASSPHRASE;
  delete env.AWS_VAULT_FILE_DIR;
  alice = sts.createUser({ userName: 'alice', mfa: true });
  bob = sts.createUser({ userName: 'bob' });
  carol = sts.createUser({ userName: 'carol' });
  sts.createRole({ roleName: 'Admin', trustedPrincipals: [alice.arn] });
  await ws.writeConfig(USER_CONFIG);
});

afterAll(async () => {
  await serve?.stop();
  const store = keys();
  for (const profile of await store.profiles().catch(() => [])) await store.remove(profile);
  await leapp.delete(leappAccessKeyIdAccount('session-alice')).catch(() => false);
  await leapp.delete(leappSecretAccessKeyAccount('session-alice')).catch(() => false);
  if (awsVaultCollection) await deleteCollection(awsVaultCollection);
  await idc?.close();
  await sts?.close();
  await ws?.dispose();
});

function leappFixture(): Record<string, unknown> {
  return leappWorkspace({
    profiles: [
      { id: 'profile-default', name: 'default' },
      { id: 'profile-alice', name: 'alice' },
      { id: 'profile-dev', name: 'acme-dev' },
    ],
    awsSsoIntegrations: [
      {
        id: 'integration-acme',
        alias: 'Acme Corp',
        portalUrl: idc.startUrl,
        region: 'eu-west-1',
        browserOpening: 'In-app',
        accessTokenExpiration: undefined,
        type: 'awsSso',
        isOnline: false,
      },
    ],
    azureIntegrations: [
      {
        id: 'integration-contoso',
        alias: 'Contoso',
        tenantId: '00000000-0000-0000-0000-000000000001',
        region: 'eastus',
        type: 'azure',
        isOnline: false,
      },
    ],
    sessions: [
      // A child before its parent, as a workspace edited over time has them.
      leappSession({
        sessionId: 'session-admin',
        sessionName: 'Admin from Alice',
        type: 'awsIamRoleChained',
        region: 'eu-central-1',
        roleArn: `arn:aws:iam::${alice.accountId}:role/Admin`,
        profileId: 'profile-default',
        parentSessionId: 'session-alice',
        roleSessionName: 'alice-admin',
      }),
      leappSession({
        sessionId: 'session-alice',
        sessionName: 'Alice keys',
        type: 'awsIamUser',
        region: 'eu-west-1',
        profileId: 'profile-alice',
        mfaDevice: alice.mfaSerial,
      }),
      leappSession({
        sessionId: 'session-dev',
        sessionName: 'Role1',
        type: 'awsSsoRole',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::100000000001/Role1',
        profileId: 'profile-dev',
        awsSsoConfigurationId: 'integration-acme',
        email: 'alice@example.com',
      }),
      leappSession({
        sessionId: 'session-other-role',
        sessionName: 'Role1',
        type: 'awsSsoRole',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::100000000002/Role1',
        profileId: 'profile-default',
        awsSsoConfigurationId: 'integration-acme',
      }),
      leappSession({
        sessionId: 'session-saml',
        sessionName: 'SAML admin',
        type: 'awsIamRoleFederated',
        region: 'eu-west-1',
        idpUrlId: 'idp-1',
        idpArn: 'arn:aws:iam::111122223333:saml-provider/corp',
        roleArn: 'arn:aws:iam::111122223333:role/SamlAdmin',
        profileId: 'profile-default',
      }),
      leappSession({
        sessionId: 'session-azure',
        sessionName: 'Contoso subscription',
        type: 'azure',
        region: 'eastus',
        subscriptionId: '00000000-0000-0000-0000-000000000002',
        tenantId: '00000000-0000-0000-0000-000000000001',
        azureIntegrationId: 'integration-contoso',
      }),
    ],
  });
}

describe('rolecall import leapp', () => {
  let leappPath: string;

  beforeAll(async () => {
    leappPath = await writeLeappWorkspace(ws.dir, leappFixture());
    await leapp.set(leappAccessKeyIdAccount('session-alice'), alice.accessKeyId);
    await leapp.set(leappSecretAccessKeyAccount('session-alice'), alice.secretAccessKey);
  });

  it('refuses a damaged, foreign or too new workspace in one sentence, changing nothing', async () => {
    const good = await readFile(leappPath);
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        'corrupt',
        good.subarray(0, good.length - 7),
        /cannot be decrypted|is not a Leapp workspace/,
      ],
      ['not encrypted', '{"_sessions": []}', /is not a Leapp workspace/],
      [
        "another machine's",
        (await import('./helpers/leapp-fixture')).encryptAsLeapp(
          JSON.stringify(leappFixture()),
          'f'.repeat(64),
        ),
        /cannot be decrypted with this machine's id/,
      ],
      [
        'newer',
        (await import('./helpers/leapp-fixture')).encryptAsLeapp(
          JSON.stringify(leappWorkspace({ sessions: [], version: 8 })),
        ),
        /newer Leapp \(workspace version 8\)/,
      ],
    ];
    try {
      for (const [what, content, expected] of cases) {
        await writeFile(leappPath, content);
        const before = await fingerprint();
        const result = await rolecall(['import', 'leapp']);
        expect(result.code, what).not.toBe(0);
        expect(result.stderr, what).toMatch(expected);
        expect(result.stderr.trim().split('\n'), what).toHaveLength(1);
        expect(result.stdout, what).toBe('');
        expect(await fingerprint(), what).toEqual(before);
      }
    } finally {
      await writeFile(leappPath, good);
    }
  });

  it('shows in a dry run what would come in and what would not, touching nothing', async () => {
    const before = await fingerprint();
    const result = await rolecall(['import', 'leapp', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(await fingerprint()).toEqual(before);
    const rows = result.stdout.split('\n');
    expect(rows[0]).toMatch(/^KIND\s+IN LEAPP\s+IN ROLECALL\s+RESULT$/);
    const row = (text: string) => rows.find((line) => line.includes(text)) ?? '';
    expect(row('Acme Corp')).toMatch(/acme-corp\s+would add: \[sso-session acme-corp\]$/);
    expect(row('Alice keys')).toMatch(
      /alice\s+would add: \[profile alice\] \+ access keys into the keychain$/,
    );
    expect(row('Admin from Alice')).toMatch(
      /admin-from-alice\s+would add: \[profile admin-from-alice\]$/,
    );
    expect(row('IAM Identity Center role ')).toMatch(/acme-dev\s+would add: \[profile acme-dev\]$/);
    expect(row('1 role without a named profile')).toMatch(
      /not imported: Rolecall lists them itself after `rolecall login acme-corp`/,
    );
    expect(row('SAML admin')).toMatch(/not imported: Rolecall does not sign in through a SAML/);
    expect(row('Contoso subscription')).toMatch(
      /not imported: Rolecall serves AWS credentials only/,
    );
    expect(row('Azure integration')).toMatch(/not imported: Rolecall serves AWS credentials only/);
    expect(result.stderr).toContain('Dry run: nothing was changed');
    expect(result.stdout + result.stderr).not.toContain(alice.secretAccessKey);
  });

  it('imports: one block at the end of the config, keys in the keychain, Leapp untouched', async () => {
    const leappBefore = await readFile(leappPath);
    const result = await rolecall(['import', 'leapp']);
    expect(result.code, result.stderr).toBe(0);
    const config = await readFile(ws.configFile, 'utf8');
    expect(config.startsWith(USER_CONFIG)).toBe(true);
    expect(config.slice(USER_CONFIG.length)).toBe(
      [
        '',
        `# Added by \`rolecall import leapp\` on ${new Date().toISOString().slice(0, 10)}.`,
        '[sso-session acme-corp]',
        `sso_start_url = ${idc.startUrl}`,
        'sso_region = eu-west-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile alice]',
        'region = eu-west-1',
        `mfa_serial = ${alice.mfaSerial}`,
        '',
        '[profile admin-from-alice]',
        `role_arn = arn:aws:iam::${alice.accountId}:role/Admin`,
        'source_profile = alice',
        'role_session_name = alice-admin',
        'region = eu-central-1',
        '',
        '[profile acme-dev]',
        'sso_session = acme-corp',
        'sso_account_id = 100000000001',
        'sso_role_name = Role1',
        'region = eu-west-1',
        '',
      ].join('\n'),
    );
    expect(await keys().get('alice')).toEqual({
      accessKeyId: alice.accessKeyId,
      secretAccessKey: alice.secretAccessKey,
    });
    expect(await readFile(leappPath)).toEqual(leappBefore);
    expect(await leapp.get(leappSecretAccessKeyAccount('session-alice'))).toBe(
      alice.secretAccessKey,
    );
    expect(result.stderr).toContain('`rolecall login acme-corp`');
    expect(result.stderr).toContain('`rolecall load alice`');
    expect(result.stderr).toContain("Leapp's workspace and keychain items are as they were.");
    // No secret in any file.
    for (const file of await filesUnder(ws.dir)) {
      expect(file.text, file.path).not.toContain(alice.secretAccessKey);
    }
  });

  it('imports nothing twice', async () => {
    const before = await fingerprint();
    const result = await rolecall(['import', 'leapp']);
    expect(result.code, result.stderr).toBe(0);
    expect(await fingerprint()).toEqual(before);
    expect(result.stdout).toMatch(/alice\s+already there/);
    expect(result.stderr).toContain('Nothing changed');
  });

  it('loads what came in: IAM user with MFA, the chained role, the Identity Center role', async () => {
    serve = await startServe(env);
    const code = sts.mfaCode(alice.mfaSerial!);
    const user = await rolecall(['load', 'alice', '--slot', '--mfa-code', code]);
    expect(user.code, user.stderr).toBe(0);
    const role = await rolecall(['load', 'admin-from-alice', '--slot']);
    expect(role.code, role.stderr).toBe(0);
    const assumed = sts.calls.filter((call) => call.action === 'AssumeRole');
    expect(assumed.at(-1)?.params).toMatchObject({
      RoleArn: `arn:aws:iam::${alice.accountId}:role/Admin`,
      RoleSessionName: 'alice-admin',
    });
    const login = await loginWithApprovedCode(env, idc, 'acme-corp');
    expect(login.code, login.output).toBe(0);
    const sso = await rolecall(['load', 'acme-dev', '--slot']);
    expect(sso.code, sso.stderr).toBe(0);
    expect(idc.stats.calls.GetRoleCredentials ?? 0).toBeGreaterThan(0);
  });
});

describe('rolecall import aws-vault', () => {
  let keyDir: string;

  beforeAll(async () => {
    keyDir = join(ws.dir, '.awsvault', 'keys');
    await writeAwsVaultFile(
      keyDir,
      'bob',
      awsVaultCredentials(bob.accessKeyId, bob.secretAccessKey),
      PASSPHRASE,
    );
    await writeAwsVaultFile(keyDir, sessionKey('bob'), '{"AccessKeyID":"ASIA"}', PASSPHRASE);
    awsVaultCollection = await addAwsVaultSecretServiceItem(
      'carol',
      awsVaultCredentials(carol.accessKeyId, carol.secretAccessKey),
    );
    await addAwsVaultSecretServiceItem(sessionKey('carol'), '{"AccessKeyID":"ASIA"}');
    await addAwsVaultSecretServiceItem(
      'oidc:https://acme.awsapps.com/start',
      '{"AccessToken":"x"}',
    );
    await writeFile(
      ws.configFile,
      `${await readFile(ws.configFile, 'utf8')}\n[profile bob]\nregion = eu-west-1\n`,
    );
  });

  it('refuses a wrong passphrase in one sentence, changing nothing', async () => {
    const before = await fingerprint();
    const result = await rolecall(['import', 'aws-vault'], { AWS_VAULT_FILE_PASSPHRASE: 'wrong' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(
      /^rolecall: That passphrase does not open aws-vault's key files in .*\n$/,
    );
    expect(await fingerprint()).toEqual(before);
  });

  it('asks for the passphrase on the terminal without echo; Ctrl-C there imports nothing', async () => {
    const prompt = `Passphrase of aws-vault's keys in ${keyDir}: `;
    const asked = await onTerminal(
      [process.execPath, CLI, 'import', 'aws-vault', '--dry-run', '--backend', 'file'],
      [
        ['wait', prompt],
        ['send', `${PASSPHRASE}\r`],
        ['wait', 'Dry run'],
      ],
      env,
    );
    expect(asked.code, asked.output).toBe(0);
    expect(asked.output).toMatch(
      /long-lived keys\s+bob\s+bob\s+would add: access keys into the keychain/,
    );
    expect(asked.output).not.toContain(PASSPHRASE);

    const before = await fingerprint();
    const cancelled = await onTerminal(
      [process.execPath, CLI, 'import', 'aws-vault', '--backend', 'file'],
      [
        ['wait', prompt],
        ['send', 'correct horse'],
        ['send', '\u0003'],
      ],
      env,
    );
    expect(cancelled.code, cancelled.output).toBe(130);
    expect(cancelled.output).toContain('Cancelled; nothing was imported.');
    expect(await fingerprint()).toEqual(before);
  });

  it('shows in a dry run the keys of both backends and the cached tokens left out, touching nothing', async () => {
    const before = await fingerprint();
    const result = await rolecall(['import', 'aws-vault', '--dry-run'], {
      AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await fingerprint()).toEqual(before);
    const row = (pattern: RegExp) =>
      result.stdout.split('\n').find((line) => pattern.test(line)) ?? '';
    expect(row(/^long-lived keys\s+carol\s/)).toMatch(
      /would add: \[profile carol\] \+ access keys into the keychain$/,
    );
    expect(row(/^long-lived keys\s+bob\s/)).toMatch(/would add: access keys into the keychain$/);
    expect(row(/^cached session\s+carol\s/)).toMatch(/not imported: short-lived/);
    expect(row(/^cached session\s+bob\s/)).toMatch(/not imported: short-lived/);
    expect(row(/^cached OIDC token\s/)).toMatch(
      /acme.awsapps.com.*not imported: short-lived; sign in once with `rolecall login`/,
    );
  });

  it('reads only the backend AWS_VAULT_BACKEND names', async () => {
    const result = await rolecall(['import', 'aws-vault', '--dry-run'], {
      AWS_VAULT_BACKEND: 'secret-service',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('carol');
    expect(result.stdout).not.toContain('bob');
    const other = await rolecall(['import', 'aws-vault', '--dry-run', '--backend', 'file'], {
      AWS_VAULT_FILE_DIR: join(ws.dir, 'elsewhere'),
    });
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/has no keyring on this machine \(.*elsewhere\)/);
  });

  it('imports the keys under the same names, then nothing twice, and they load', async () => {
    const configBefore = await readFile(ws.configFile, 'utf8');
    const result = await rolecall(['import', 'aws-vault'], {
      AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(await keys().get('bob')).toEqual({
      accessKeyId: bob.accessKeyId,
      secretAccessKey: bob.secretAccessKey,
    });
    expect(await keys().get('carol')).toEqual({
      accessKeyId: carol.accessKeyId,
      secretAccessKey: carol.secretAccessKey,
    });
    const config = await readFile(ws.configFile, 'utf8');
    expect(config).toBe(
      `${configBefore}\n# Added by \`rolecall import aws-vault\` on ${new Date().toISOString().slice(0, 10)}.\n[profile carol]\n`,
    );
    expect(result.stderr).toContain('`aws-vault remove <profile>`');

    const before = await fingerprint();
    const again = await rolecall(['import', 'aws-vault'], {
      AWS_VAULT_FILE_PASSPHRASE: PASSPHRASE,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Nothing changed');
    expect(await fingerprint()).toEqual(before);

    serve ??= await startServe(env);
    for (const profile of ['bob', 'carol']) {
      const load = await rolecall(['load', profile, '--slot']);
      expect(load.code, load.stderr).toBe(0);
    }
    expect(
      sts.calls.filter((call) => call.action === 'GetSessionToken').length,
    ).toBeGreaterThanOrEqual(2);
  });
});
