import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type MemoryStore } from '../secrets/memory-store';
import type { SecretStore } from '../secrets/secret-store';
import { importKeys } from './import-keys';
import { createKeyStore, type KeyStore } from './key-store';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const OTHER_ID = 'AKIAI44QH8DHBEXAMPLE';
const OTHER_SECRET = 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY';

let dir: string;
let files: { configFile: string; credentialsFile: string };
let secrets: MemoryStore;
let store: KeyStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-import-'));
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
  secrets = createMemoryStore();
  store = createKeyStore(secrets);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(which: 'config' | 'credentials', text: string, mode = 0o600) {
  const path = which === 'config' ? files.configFile : files.credentialsFile;
  await writeFile(path, text);
  await chmod(path, mode);
}
const read = (which: 'config' | 'credentials') =>
  readFile(which === 'config' ? files.configFile : files.credentialsFile, 'utf8');
const run = (profile: string, remove: boolean, keyStore: KeyStore = store) =>
  importKeys({ profile, files, store: keyStore, remove });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('should have failed'),
    (error: Error) => error.message,
  );

const CREDENTIALS = [
  '# work laptop',
  '[default]',
  'aws_access_key_id = AKIADEFAULTDEFAULT12',
  'aws_secret_access_key = defaultdefaultdefaultdefaultdefault12345',
  '',
  '; the dev account',
  '[dev]',
  'region=eu-west-1',
  `aws_access_key_id = ${ID}`,
  '# rotated 2024-05',
  `AWS_Secret_Access_Key:${SECRET}`,
  'output = json',
  '',
  '[prod]',
  'aws_access_key_id = AKIAPRODPRODPROD1234',
  'aws_secret_access_key = prodprodprodprodprodprodprodprodprod1234',
  '',
].join('\n');

describe('keys import', () => {
  it('stores the keys and leaves the file alone without --remove', async () => {
    await write('credentials', CREDENTIALS);
    const imported = await run('dev', false);
    expect(await store.get('dev')).toEqual({ accessKeyId: ID, secretAccessKey: SECRET });
    expect(await read('credentials')).toBe(CREDENTIALS);
    expect(imported).toEqual({
      maskedId: '****************MPLE',
      from: { path: files.credentialsFile, idLine: 9, secretLine: 11 },
      alreadyStored: false,
      removedFrom: [],
      otherKeysLeft: null,
    });
  });

  it('with --remove drops exactly the two lines, keeping every other byte, comments and order', async () => {
    await write('credentials', CREDENTIALS);
    const imported = await run('dev', true);
    const expected = CREDENTIALS.split('\n')
      .filter((_, index) => index !== 8 && index !== 10)
      .join('\n');
    expect(await read('credentials')).toBe(expected);
    expect(imported.removedFrom).toEqual([
      { path: files.credentialsFile, idLine: 9, secretLine: 11 },
    ]);
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('keeps CRLF line endings, a file without a final newline, and the file’s mode', async () => {
    const text = `[dev]\r\naws_access_key_id = ${ID}\r\naws_secret_access_key = ${SECRET}\r\nregion = us-east-1`;
    await write('credentials', text, 0o640);
    await run('dev', true);
    expect(await read('credentials')).toBe('[dev]\r\nregion = us-east-1');
    expect((await stat(files.credentialsFile)).mode & 0o777).toBe(0o640);
  });

  it('imports again without a change, then removes, as a user moving step by step would', async () => {
    await write('credentials', CREDENTIALS);
    await run('dev', false);
    const again = await run('dev', true);
    expect(again.alreadyStored).toBe(true);
    expect(await read('credentials')).not.toContain(SECRET);
    // Once more, as a script would: nothing left to do, and nothing wrong.
    expect(await run('dev', true)).toEqual({
      maskedId: '****************MPLE',
      from: null,
      alreadyStored: true,
      removedFrom: [],
      otherKeysLeft: null,
    });
  });

  it('says when a profile has no keys in the files or the keychain', async () => {
    await write('credentials', CREDENTIALS);
    await write('config', '[profile bare]\nregion = eu-west-1\n');
    await expect(run('bare', true)).rejects.toThrow(
      `Profile bare has no aws_access_key_id and aws_secret_access_key in ${files.credentialsFile} or ${files.configFile}, so there is nothing to import; to store keys you have at hand, run \`rolecall keys add bare\`.`,
    );
  });

  it('takes keys from a [profile x] section of the config file', async () => {
    const config = `[profile dev]\nregion = eu-west-1\naws_access_key_id=${ID}\naws_secret_access_key=${SECRET}\n[profile other]\nregion = us-east-1\n`;
    await write('config', config);
    const imported = await run('dev', true);
    expect(imported.from).toEqual({ path: files.configFile, idLine: 3, secretLine: 4 });
    expect(await read('config')).toBe(
      '[profile dev]\nregion = eu-west-1\n[profile other]\nregion = us-east-1\n',
    );
    expect(await store.get('dev')).toEqual({ accessKeyId: ID, secretAccessKey: SECRET });
  });

  describe('a key pair in both files', () => {
    const config = (id: string, secret: string) =>
      `[profile dev]\naws_access_key_id = ${id}\naws_secret_access_key = ${secret}\nregion = eu-west-1\n`;

    it('imports the credentials file’s, as the AWS CLI uses, and removes both when they are the same', async () => {
      await write('credentials', CREDENTIALS);
      await write('config', config(ID, SECRET));
      const imported = await run('dev', true);
      expect(imported.removedFrom.map((lines) => lines.path)).toEqual([
        files.credentialsFile,
        files.configFile,
      ]);
      expect(await read('config')).toBe('[profile dev]\nregion = eu-west-1\n');
      expect(await read('credentials')).not.toContain(SECRET);
    });

    it('imports the credentials file’s and says the config file has others', async () => {
      await write('credentials', CREDENTIALS);
      await write('config', config(OTHER_ID, OTHER_SECRET));
      const imported = await run('dev', false);
      expect(await store.get('dev')).toEqual({ accessKeyId: ID, secretAccessKey: SECRET });
      expect(imported.otherKeysLeft).toEqual({ path: files.configFile, idLine: 2, secretLine: 3 });
    });

    it('with --remove refuses, changing nothing, when the config file’s would take their place', async () => {
      await write('credentials', CREDENTIALS);
      await write('config', config(OTHER_ID, OTHER_SECRET));
      expect(await failure(run('dev', true))).toBe(
        `Profile dev also has other keys in ${files.configFile} (lines 2 and 3), which the AWS CLI would use once those in ${files.credentialsFile} are gone, so nothing was changed; delete them from ${files.configFile} if they are old (or import without --remove), then run this again.`,
      );
      expect(await read('credentials')).toBe(CREDENTIALS);
      expect(secrets.items.size).toBe(0);
    });
  });

  describe('the file is left as it is', () => {
    it('when the keychain write fails', async () => {
      await write('credentials', CREDENTIALS);
      secrets.failWith();
      await expect(run('dev', true)).rejects.toThrow('the keyring is locked');
      expect(await read('credentials')).toBe(CREDENTIALS);
      expect(await readdir(dir)).toEqual(['credentials']);
    });

    it('when the keychain gives back something other than what was written', async () => {
      await write('credentials', CREDENTIALS);
      const forgetful: SecretStore = { ...secrets, set: async () => {} };
      expect(await failure(run('dev', true, createKeyStore(forgetful)))).toBe(
        `The keychain did not give back the keys of profile dev just stored, so ${files.credentialsFile} was left as it is; check your keychain and try again.`,
      );
      expect(await read('credentials')).toBe(CREDENTIALS);
    });

    it('when the keychain already holds other keys for the profile', async () => {
      await write('credentials', CREDENTIALS);
      await store.set('dev', { accessKeyId: OTHER_ID, secretAccessKey: OTHER_SECRET });
      expect(await failure(run('dev', true))).toBe(
        `The keychain already holds other keys for profile dev (****************MPLE), so nothing was changed; if those in ${files.credentialsFile} are to replace them, run \`rolecall keys remove dev\` first.`,
      );
      expect(await read('credentials')).toBe(CREDENTIALS);
      expect((await store.get('dev'))?.accessKeyId).toBe(OTHER_ID);
    });

    it('when Rolecall refuses the file, with the sentence it always gives', async () => {
      const broken = `[dev]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\n[prod\nregion = x\n`;
      await write('credentials', broken);
      expect(await failure(run('dev', true))).toBe(
        `${files.credentialsFile} line 4: \`[prod\` is not a section header (it has no closing \`]\`). The AWS CLI refuses this file too. Fix the line; until then Rolecall loads no profile and makes no request to AWS.`,
      );
      expect(await read('credentials')).toBe(broken);
      expect(secrets.items.size).toBe(0);
    });

    it('when the other file is the one refused', async () => {
      await write('credentials', CREDENTIALS);
      await write('config', '[profile a]\nregion = x\n[profile a]\n');
      await expect(run('dev', true)).rejects.toThrow(`${files.configFile} line 3:`);
      expect(await read('credentials')).toBe(CREDENTIALS);
    });
  });

  describe('keys that are not long-lived, or not whole, are refused without quoting them', () => {
    it.each([
      [
        'a session token beside them',
        `[dev]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\naws_session_token = tok\n`,
        `Profile dev has an aws_session_token in CREDENTIALS (line 4), so its keys are temporary session credentials, which expire; Rolecall keeps only long-lived keys (IDs starting with AKIA).`,
      ],
      [
        'an ASIA key ID',
        `[dev]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`,
        'The aws_access_key_id of profile dev in CREDENTIALS (line 2) starts with ASIA, so it belongs to temporary session credentials, which expire and work only with their session token; Rolecall keeps only long-lived keys, whose IDs start with AKIA.',
      ],
      [
        'half a pair',
        `[dev]\naws_secret_access_key = ${SECRET}\n`,
        'Profile dev in CREDENTIALS has aws_secret_access_key (line 2) but no aws_access_key_id, and the AWS CLI uses the two only together; put both in the same section.',
      ],
      [
        'a secret continued on an indented line',
        `[dev]\naws_access_key_id = ${ID}\naws_secret_access_key = ${SECRET}\n  more\n`,
        'The aws_secret_access_key of profile dev in CREDENTIALS (line 3) contains spaces, control characters or characters outside ASCII, which no AWS secret access key has.',
      ],
      [
        'a value that is a block of sub-settings',
        `[dev]\naws_access_key_id =\n  a = b\naws_secret_access_key = ${SECRET}\n`,
        'The aws_access_key_id of profile dev in CREDENTIALS (line 2) has no value on its line but indented settings below it, which the AWS CLI reads as sub-settings; put the value on the aws_access_key_id line.',
      ],
    ])('%s', async (_, text, message) => {
      await write('credentials', text);
      const said = await failure(run('dev', true));
      expect(said).toBe(message.replace('CREDENTIALS', files.credentialsFile));
      expect(said).not.toContain(SECRET);
      expect(await read('credentials')).toBe(text);
      expect(secrets.items.size).toBe(0);
    });
  });

  it('says when there is no such profile', async () => {
    await write('credentials', CREDENTIALS);
    await expect(run('staging', false)).rejects.toThrow(
      `There is no profile named staging in ${files.credentialsFile} or ${files.configFile}, so there is nothing to import; to store keys you have at hand, run \`rolecall keys add staging\`.`,
    );
  });

  it('leaves a file that changed after it was read as it is, with the keys in the keychain', async () => {
    await write('credentials', CREDENTIALS);
    const slowStore: KeyStore = {
      ...store,
      // While the keychain is written, an editor saves the file.
      set: async (profile, keys) => {
        await write('credentials', `${CREDENTIALS}# edited\n`);
        await store.set(profile, keys);
      },
    };
    await expect(run('dev', true, slowStore)).rejects.toThrow(
      `${files.credentialsFile} changed while Rolecall was rewriting it, so it was left as it is now; run the command again.`,
    );
    expect(await read('credentials')).toBe(`${CREDENTIALS}# edited\n`);
    expect(await store.get('dev')).not.toBeNull();
  });
});
