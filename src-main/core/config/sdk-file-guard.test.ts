import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withEnv } from '../../../test/helpers/with-env';
import { RolecallError } from '../errors';
import { loadProfiles } from './profiles';
import { refuseUnsafeAwsFiles } from './sdk-file-guard';

let dir: string;
let files: { configFile: string; credentialsFile: string };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-sdk-guard-'));
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('refuseUnsafeAwsFiles', () => {
  it('lets the SDK read ordinary files, and files that are not there', async () => {
    expect(() => refuseUnsafeAwsFiles(files)).not.toThrow();
    await writeFile(
      files.configFile,
      '[profile dev]\nregion = eu-west-1\n[weird one]\n[profile "a b"]\n',
    );
    await writeFile(files.credentialsFile, '[dev]\naws_access_key_id = A\n');
    expect(() => refuseUnsafeAwsFiles(files)).not.toThrow();
  });

  it.each([
    ['credentials', '[constructor]\nkeys = x\n'],
    ['config', '[default]\nregion = x\n[toString]\nx = 1\n'],
    ['config', '[profile __proto__]\nregion = x\n'],
    ['config', '[profile slow]\ncredential_process = a\n[profile broken\ncredential_process = b\n'],
    ['credentials', '[a]\nx = 1\n  [b]\n'],
    ['credentials', '[a]\nx = 1\nX = 2\n'],
  ] as const)('refuses when the %s file is one Rolecall refuses: %j', async (which, text) => {
    const path = which === 'config' ? files.configFile : files.credentialsFile;
    await writeFile(path, text);
    let thrown: unknown;
    try {
      refuseUnsafeAwsFiles(files);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RolecallError);
    expect(thrown).toMatchObject({ code: 'aws-file-refused', status: 409 });
    expect((thrown as Error).message).toContain(path);
    expect((thrown as Error).message).toMatch(
      /until then Rolecall loads no profile and makes no request to AWS\.$/,
    );
    // The same sentence every other use of the files gets.
    expect((thrown as Error).message).toBe((await loadProfiles(files)).refusals.join(' '));
    // Nothing was parsed the SDK's way on the way.
    expect(typeof Object.keys).toBe('function');
  });

  it('reads the files the SDK reads: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', async () => {
    await writeFile(files.credentialsFile, '[hasOwnProperty]\nx = 1\n');
    await withEnv({ AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile }, async () => {
      expect(() => refuseUnsafeAwsFiles()).toThrow(/hasOwnProperty/);
    });
  });
});
