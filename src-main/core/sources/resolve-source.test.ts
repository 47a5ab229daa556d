import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionTokens } from '../sso/session-tokens';
import { createSourceResolver } from './resolve-source';
import { testFetchContext } from '../../../test/helpers/fetch-context';
import { FakeKeyStore } from '../../../test/helpers/fake-key-store';
import { fakeStsClients } from '../../../test/helpers/fake-sts-client';

let dir: string;
let files: { configFile: string; credentialsFile: string };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-resolve-'));
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const broken = (command: string) =>
  `[profile slow]\ncredential_process = ${command}\n[profile broken\ncredential_process = /bin/BROKEN\n`;
const refusal = () =>
  `${files.configFile} line 3: \`[profile broken\` is not a section header (it has no closing \`]\`). The AWS CLI refuses this file too. Fix the line; until then Rolecall loads no profile and makes no request to AWS.`;

describe('createSourceResolver with a file Rolecall refuses', () => {
  it('fails every profile with the refusal, even where a signed-in role has the same name', async () => {
    await writeFile(files.configFile, broken('/bin/slow'));
    let discoveredAsked = false;
    const resolve = createSourceResolver({
      files,
      sso: {
        tokens: {} as SessionTokens,
        discovered: async () => {
          discoveredAsked = true;
          return [
            {
              name: 'slow',
              session: {
                name: 'corp',
                startUrl: 'https://corp.awsapps.com/start',
                region: 'eu-west-1',
              },
              role: { accountId: '123456789012', accountName: 'Corp', roleName: 'Slow' },
            },
          ];
        },
      },
    });
    for (const name of ['slow', 'broken', 'nosuch']) {
      await expect(resolve(name)).rejects.toMatchObject({
        code: 'aws-file-refused',
        status: 409,
        message: refusal(),
      });
    }
    expect(discoveredAsked).toBe(false);
  });

  it('fails the next fetch of a source resolved before the file broke, without running it', async () => {
    const marker = join(dir, 'ran');
    await writeFile(
      files.configFile,
      `[profile slow]\ncredential_process = /usr/bin/touch ${marker}\n`,
    );
    const source = await createSourceResolver({ files })('slow');
    await writeFile(files.configFile, broken(`/usr/bin/touch ${marker}`));
    await expect(source.fetch()).rejects.toMatchObject({
      code: 'aws-file-refused',
      message: refusal(),
    });
    await expect(rm(marker)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it("says why a profile running Rolecall's own helper cannot be loaded, in one sentence", async () => {
    await writeFile(
      files.configFile,
      '[profile via]\ncredential_process = rolecall credential-process --profile dev\n',
    );
    await expect(createSourceResolver({ files })('via')).rejects.toMatchObject({
      code: 'source-not-loadable',
      message:
        "Profile via cannot be loaded: its credential_process is Rolecall's own helper (`rolecall credential-process`), which asks Rolecall for credentials instead of giving it any; load dev instead.",
    });
  });
});

describe('a resolved source', () => {
  it('hands the fetch context on, so a fetch nobody waits for stops its process', async () => {
    await writeFile(files.configFile, '[profile slow]\ncredential_process = /bin/sleep 30\n');
    const source = await createSourceResolver({ files })('slow');
    const controller = new AbortController();
    const fetching = source.fetch(testFetchContext({ signal: controller.signal }));
    // Let the process start, then give up on it: it must end now, not after 30 s.
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await expect(fetching).rejects.toMatchObject({ failure: 'cancelled' });
  }, 10_000);
});

describe('every kind the AWS CLI loads', () => {
  const SERIAL = 'arn:aws:iam::111111111111:mfa/alice';
  const KEYS = { accessKeyId: 'AKIAKEYCHAIN0001', secretAccessKey: 'keychain-secret' };
  const config = [
    '[profile base]',
    `mfa_serial = ${SERIAL}`,
    '[profile admin]',
    'source_profile = base',
    'role_arn = arn:aws:iam::222222222222:role/Admin',
    `mfa_serial = ${SERIAL}`,
    '[profile ci]',
    'role_arn = arn:aws:iam::333333333333:role/Ci',
    'web_identity_token_file = /nonexistent/token',
    '[profile console]',
    'login_session = arn:aws:iam::111111111111:user/alice',
    '[profile a]',
    'source_profile = b',
    'role_arn = arn:aws:iam::111111111111:role/A',
    '[profile b]',
    'source_profile = a',
    'role_arn = arn:aws:iam::111111111111:role/B',
    '',
  ].join('\n');

  it('builds each from its config: keys in the keychain, a role over them, MFA asked once', async () => {
    await writeFile(files.configFile, config);
    const sts = fakeStsClients();
    const resolve = createSourceResolver({
      files,
      keys: new FakeKeyStore({ base: KEYS }),
      createStsClient: sts.createStsClient,
      sessionDurationSeconds: () => 8 * 3600,
    });
    const base = await resolve('base');
    const admin = await resolve('admin');
    expect(base.parents).toBeUndefined();
    expect(admin.parents).toEqual(['base']);

    const baseCredentials = await base.fetch(testFetchContext({ ask: async () => '123456' }));
    await admin.fetch(testFetchContext({ parent: async () => baseCredentials }));
    expect(
      sts.calls.map(({ action, input, client }) => ({ action, input, signer: client.credentials })),
    ).toEqual([
      {
        action: 'GetSessionToken',
        input: { DurationSeconds: 28_800, SerialNumber: SERIAL, TokenCode: '123456' },
        signer: KEYS,
      },
      {
        // base's session carries alice's MFA: no code here.
        action: 'AssumeRole',
        input: {
          RoleArn: 'arn:aws:iam::222222222222:role/Admin',
          RoleSessionName: expect.stringMatching(/^rolecall-session-\d+$/),
        },
        signer: baseCredentials,
      },
    ]);
    expect((await resolve('ci')).profile).toBe('ci');
    expect((await resolve('console')).profile).toBe('console');
  });

  it('refuses a loop and a Rolecall without STS, in words', async () => {
    await writeFile(files.configFile, config);
    await expect(
      createSourceResolver({ files, createStsClient: fakeStsClients().createStsClient })('a'),
    ).rejects.toMatchObject({
      code: 'source-not-loadable',
      message:
        'Profile a cannot be loaded: its source_profile settings loop: a → b → a; point one of them at a profile with credentials of its own.',
    });
    await expect(
      createSourceResolver({ files, keys: new FakeKeyStore({ base: KEYS }) })('base'),
    ).rejects.toMatchObject({
      message: 'Profile base cannot be loaded: this Rolecall makes no calls to AWS STS.',
    });
  });

  it('says the keychain could not be read where a profile is not found', async () => {
    await writeFile(files.configFile, config);
    const locked = new FakeKeyStore();
    locked.profiles = () => Promise.reject(new Error('The keychain is locked.'));
    await expect(createSourceResolver({ files, keys: locked })('vaulted')).rejects.toMatchObject({
      failure: 'not-found',
      message: expect.stringMatching(
        /^There is no profile named vaulted in .* \(The keychain, where `rolecall keys` keeps long-lived keys, could not be read: The keychain is locked\.\)$/,
      ),
    });
  });
});
