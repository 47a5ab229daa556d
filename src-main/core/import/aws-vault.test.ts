import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  awsVaultCredentials,
  sessionKey,
  writeAwsVaultFile,
} from '../../../test/helpers/aws-vault-fixture';
import { decryptAwsVaultJwe } from './aws-vault-jwe';
import { awsVaultCandidates, isOidcTokenKey, isSessionKey } from './aws-vault-items';
import {
  percentDecode,
  readAwsVaultKeyrings,
  type AwsVaultKeyringOptions,
} from './aws-vault-keyring';

const KEY_ID = 'AKIAAWSVAULTTEST0001';
const SECRET = 'aWsVaUlTsEcReT/0123456789abcdefghijklmno';
const CACHED_SESSION = 'sts.GetSessionToken,ZGV2,,1796094238';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-aws-vault-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function options(overrides: Partial<AwsVaultKeyringOptions>): AwsVaultKeyringOptions {
  return {
    env: { HOME: dir, AWS_VAULT_FILE_DIR: join(dir, 'keys') },
    platform: 'linux',
    askPassphrase: () => Promise.reject(new Error('not expected')),
    readCollection: () => Promise.resolve(null),
    readKeychainFile: () => Promise.resolve(null),
    readWindowsCredentials: () => Promise.resolve([]),
    decryptJwe: decryptAwsVaultJwe,
    ...overrides,
  };
}

describe("aws-vault's item names", () => {
  it('tells cached sessions and OIDC tokens, of every version, from profiles', () => {
    expect(isSessionKey(sessionKey('dev', 'arn:aws:iam::111122223333:mfa/dev'))).toBe(true);
    expect(isSessionKey('session,ZGV2,,1700000000')).toBe(true);
    expect(isSessionKey('session:dev:arn:aws:iam::1:mfa/x:1700000000')).toBe(true);
    expect(isSessionKey('dev session (1700000000)')).toBe(true);
    expect(isOidcTokenKey('oidc:https://acme.awsapps.com/start')).toBe(true);
    for (const profile of ['dev', 'my,profile', 'prod-eu']) {
      expect(isSessionKey(profile) || isOidcTokenKey(profile), profile).toBe(false);
    }
    expect(percentDecode('team%2Fdev%25x')).toBe('team/dev%x');
  });

  it('takes long-lived keys only, and says why the rest stays out', () => {
    const item = (key: string, data: string) => ({ key, data: Buffer.from(data) });
    const { candidates, leftOut } = awsVaultCandidates(
      [
        item('dev', awsVaultCredentials(KEY_ID, SECRET)),
        item(sessionKey('dev'), ''),
        item('oidc:https://acme.awsapps.com/start', ''),
        item(
          'temp',
          JSON.stringify({
            AccessKeyID: 'ASIAAWSVAULTTEST0001',
            SecretAccessKey: SECRET,
            SessionToken: 'x',
          }),
        ),
        item('garbage', 'not json'),
      ],
      'here',
    );
    expect(candidates).toEqual([
      {
        kind: 'long-lived keys',
        from: 'dev',
        name: 'dev',
        keys: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
        section: { header: 'profile dev', settings: [] },
      },
    ]);
    expect(leftOut.map((each) => [each.kind, each.from, each.reason])).toEqual([
      ['keys', 'garbage', "its item in here is not aws-vault's credentials JSON"],
      [
        'cached OIDC token',
        'https://acme.awsapps.com/start',
        'short-lived; sign in once with `rolecall login` instead',
      ],
      ['cached session', 'dev', 'short-lived; Rolecall makes its own sessions from the keys'],
      ['keys', 'temp', 'temporary credentials (they have a session token), not long-lived keys'],
    ]);
  });
});

describe("aws-vault's keyrings", () => {
  it('opens the file backend with the passphrase from AWS_VAULT_FILE_PASSPHRASE, or asks once', async () => {
    const keys = join(dir, 'keys');
    await writeAwsVaultFile(keys, 'dev', awsVaultCredentials(KEY_ID, SECRET), 'pass phrase');
    await writeAwsVaultFile(keys, 'team/ops', awsVaultCredentials(KEY_ID, SECRET), 'pass phrase');
    await writeAwsVaultFile(keys, CACHED_SESSION, '{}', 'pass phrase');
    const fromEnv = await readAwsVaultKeyrings(
      options({ env: { AWS_VAULT_FILE_DIR: keys, AWS_VAULT_FILE_PASSPHRASE: 'pass phrase' } }),
    );
    expect(
      fromEnv.map((source) => [source.backend, source.items.map((item) => item.key).sort()]),
    ).toEqual([['file', ['dev', CACHED_SESSION, 'team/ops'].sort()]]);
    expect(
      JSON.parse(fromEnv[0]!.items.find((item) => item.key === 'dev')!.data.toString()),
    ).toMatchObject({
      AccessKeyID: KEY_ID,
    });
    let asked = 0;
    await readAwsVaultKeyrings(
      options({
        env: { AWS_VAULT_FILE_DIR: keys },
        askPassphrase: async () => {
          asked += 1;
          return 'pass phrase';
        },
      }),
    );
    expect(asked).toBe(1);
  });

  it('refuses a wrong passphrase and a file aws-vault did not write, in one sentence', async () => {
    const keys = join(dir, 'keys');
    await writeAwsVaultFile(keys, 'dev', awsVaultCredentials(KEY_ID, SECRET), 'pass phrase');
    const read = (passphrase: string) =>
      readAwsVaultKeyrings(
        options({ env: { AWS_VAULT_FILE_DIR: keys, AWS_VAULT_FILE_PASSPHRASE: passphrase } }),
      );
    await expect(read('wrong')).rejects.toThrow(
      /^That passphrase does not open aws-vault's key files in .*\.$/,
    );
    await writeFile(join(keys, 'dev'), 'not a JWE');
    await expect(read('pass phrase')).rejects.toThrow(
      /dev is not a key file aws-vault wrote .*, so nothing was imported;/,
    );
  });

  it('honours AWS_VAULT_BACKEND and --backend, and says where it looked when nothing is there', async () => {
    const collection = options({
      readCollection: async (name) =>
        name === 'awsvault'
          ? [
              {
                label: 'dev',
                attributes: { profile: 'dev' },
                secret: Buffer.from(
                  JSON.stringify({
                    Key: 'dev',
                    Data: Buffer.from(awsVaultCredentials(KEY_ID, SECRET)).toString('base64'),
                  }),
                ),
              },
            ]
          : null,
    });
    const found = await readAwsVaultKeyrings({
      ...collection,
      env: { ...collection.env, AWS_VAULT_BACKEND: 'secret-service' },
    });
    expect(found.map((source) => [source.where, source.items.map((item) => item.key)])).toEqual([
      ['the Secret Service collection awsvault', ['dev']],
    ]);
    await expect(readAwsVaultKeyrings({ ...collection, backend: 'pass' })).rejects.toThrow(
      /^Rolecall cannot read aws-vault's pass backend .* move each profile's keys with `aws-vault exec --no-session/,
    );
    await expect(readAwsVaultKeyrings({ ...collection, backend: 'vault' })).rejects.toThrow(
      /aws-vault has no backend named vault/,
    );
    await expect(
      readAwsVaultKeyrings({
        ...collection,
        env: { ...collection.env, AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME: 'other' },
      }),
    ).rejects.toThrow(
      /^No aws-vault keyring was found on this machine \(looked in the Secret Service collection other and .*keys\)/,
    );
  });

  it("reads aws-vault's own macOS keychain, by AWS_VAULT_KEYCHAIN_NAME when set", async () => {
    const asked: string[] = [];
    const mac = options({
      platform: 'darwin',
      readKeychainFile: async (name, service) => {
        asked.push(`${name}/${service}`);
        return name === 'aws-vault'
          ? [
              { account: 'dev', password: awsVaultCredentials(KEY_ID, SECRET) },
              { account: CACHED_SESSION, password: '{}' },
            ]
          : null;
      },
    });
    const [found] = await readAwsVaultKeyrings(mac);
    expect(found).toMatchObject({ backend: 'keychain', where: 'the macOS keychain aws-vault' });
    expect(found!.items.map((item) => item.key)).toEqual(['dev', CACHED_SESSION]);
    expect(awsVaultCandidates(found!.items, found!.where).candidates).toMatchObject([
      { name: 'dev' },
    ]);
    expect(asked).toEqual(['aws-vault/aws-vault']);
    await expect(
      readAwsVaultKeyrings({ ...mac, env: { ...mac.env, AWS_VAULT_KEYCHAIN_NAME: 'work' } }),
    ).rejects.toThrow(/looked in the macOS keychain work and /);
  });

  it('reads Windows Credential Manager items named aws-vault:aws-vault:<profile>', async () => {
    const prefixes: string[] = [];
    const windows = options({
      platform: 'win32',
      readWindowsCredentials: async (prefix) => {
        prefixes.push(prefix);
        return [
          {
            target: 'aws-vault:aws-vault:team/dev',
            blob: Buffer.from(awsVaultCredentials(KEY_ID, SECRET)),
          },
          { target: `aws-vault:aws-vault:${CACHED_SESSION}`, blob: Buffer.from('{}') },
        ];
      },
    });
    const [found] = await readAwsVaultKeyrings(windows);
    expect(found).toMatchObject({ backend: 'wincred' });
    expect(prefixes).toEqual(['aws-vault:aws-vault:']);
    const { candidates, leftOut } = awsVaultCandidates(found!.items, found!.where);
    expect(candidates).toMatchObject([{ name: 'team/dev' }]);
    expect(leftOut.map((each) => each.reason).join('\n')).toMatch(/session/);
    await expect(
      readAwsVaultKeyrings({ ...windows, readWindowsCredentials: async () => [] }),
    ).rejects.toThrow(/looked in the Windows Credential Manager items aws-vault:aws-vault:… and /);
    expect(
      (await readAwsVaultKeyrings({ ...windows, backend: 'wincred' })).map((each) => each.backend),
    ).toEqual(['wincred']);
    await expect(
      readAwsVaultKeyrings({ ...windows, platform: 'linux', backend: 'wincred' }),
    ).rejects.toThrow(/^aws-vault's wincred backend has no keyring on this machine/);
  });
});
