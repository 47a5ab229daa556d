import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeKeyStore } from '../../../test/helpers/fake-key-store';
import { RolecallError } from '../errors';
import type { Candidate } from './import-plan';
import {
  createImportService,
  FILE_BACKEND_IN_TERMINAL,
  LEAPP_ELSEWHERE_COMMAND,
} from './import-service';
import { findLeapp, type ImportFindings } from './import-sources';

const KEYS = { accessKeyId: 'AKIAIMPORTSERVICE001', secretAccessKey: 's'.repeat(40) };
const session: Candidate = {
  kind: 'IAM Identity Center integration',
  from: 'Acme',
  name: 'acme',
  section: {
    header: 'sso-session acme',
    settings: [
      ['sso_start_url', 'https://acme.awsapps.com/start'],
      ['sso_region', 'eu-west-1'],
    ],
  },
};
const user: Candidate = {
  kind: 'IAM user session',
  from: 'Alice',
  name: 'alice',
  keys: KEYS,
  section: { header: 'profile alice', settings: [['region', 'eu-west-1']] },
};
const findings: ImportFindings = {
  candidates: [session, user],
  leftOut: [{ kind: 'Azure session', from: 'Azure dev', reason: 'Rolecall serves AWS only' }],
  cleanUp: 'Remove them from the other tool.',
};
const MINE = '[profile mine]\nregion = us-east-1\n';

let dir: string;
let configFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-import-service-'));
  configFile = join(dir, 'config');
  await writeFile(configFile, MINE);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function service(keys: FakeKeyStore, checks: string[] = []) {
  return createImportService({
    keys,
    configFile: () => configFile,
    env: {},
    platform: 'linux',
    checkKeychain: async () => {
      checks.push('checked');
    },
    now: () => new Date('2026-12-01T00:00:00Z'),
    find: async () => findings,
  });
}

describe('the import service', () => {
  it('previews the rows a dry run shows and changes nothing', async () => {
    const keys = new FakeKeyStore();
    const preview = await service(keys).preview('leapp');
    expect(preview).toEqual({
      from: 'leapp',
      changes: 3,
      rows: [
        expect.objectContaining({ name: 'acme', outcome: 'new' }),
        expect.objectContaining({ name: 'alice', outcome: 'new' }),
        {
          kind: 'Azure session',
          from: 'Azure dev',
          name: '',
          outcome: 'left-out',
          detail: 'Rolecall serves AWS only',
        },
      ],
    });
    expect(await readFile(configFile, 'utf8')).toBe(MINE);
    expect(keys.keys.size).toBe(0);
  });

  it('runs the import after checking the keychain, and says what came in and what is next', async () => {
    const keys = new FakeKeyStore();
    const checks: string[] = [];
    const result = await service(keys, checks).run('leapp');
    expect(checks).toEqual(['checked']);
    expect(keys.keys.get('alice')).toEqual(KEYS);
    const config = await readFile(configFile, 'utf8');
    expect(config.startsWith(MINE)).toBe(true);
    expect(config).toContain('[profile alice]');
    expect(config).toContain('[sso-session acme]');
    expect(result.summary).toBe(
      `Imported: added 2 sections at the end of ${configFile} and stored the keys of 1 profile in the keychain.`,
    );
    expect(result.sessions).toEqual(['acme']);
    expect(result.profiles).toEqual(['alice']);
    expect(result.cleanUp).toBe(findings.cleanUp);
    // Not one secret in what goes back to a window.
    expect(JSON.stringify(result)).not.toContain(KEYS.secretAccessKey);
  });

  it('imports nothing twice: a second run finds everything there already', async () => {
    const keys = new FakeKeyStore();
    await service(keys).run('leapp');
    const once = await readFile(configFile, 'utf8');
    const again = await service(keys).run('leapp');
    expect(again.changes).toBe(0);
    expect(again.summary).toBe('Nothing changed: everything that can come in is there already.');
    expect(again.profiles).toEqual(['alice']);
    expect(await readFile(configFile, 'utf8')).toBe(once);
  });

  it("refuses aws-vault's file backend with where to go instead, and writes nothing", async () => {
    const keysDir = join(dir, 'awsvault');
    await mkdir(keysDir);
    // One key file is enough for aws-vault's file backend to exist; its passphrase is what stops.
    await writeFile(join(keysDir, 'dev'), 'eyJhbGciOiJQQkVTMi1IUzI1NitBMjU2S1cifQ.x.y.z.w');
    const keys = new FakeKeyStore();
    const real = createImportService({
      keys,
      configFile: () => configFile,
      env: { AWS_VAULT_BACKEND: 'file', AWS_VAULT_FILE_DIR: keysDir },
      platform: 'linux',
      checkKeychain: async () => {},
      now: () => new Date(),
    });
    const refusal = await real.preview('aws-vault').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RolecallError);
    expect((refusal as Error).message).toBe(FILE_BACKEND_IN_TERMINAL);
    expect(await readFile(configFile, 'utf8')).toBe(MINE);
  });

  it('tells a window to name a workspace elsewhere with the command, which has --workspace', async () => {
    const missing = join(dir, 'no-such', 'Leapp-lock.json');
    await expect(findLeapp(missing, LEAPP_ELSEWHERE_COMMAND)).rejects.toThrow(
      `There is no Leapp workspace at ${missing}, so there is nothing to import; if Leapp keeps it elsewhere, run \`rolecall import leapp --workspace <file>\` in a terminal.`,
    );
    await expect(findLeapp(missing)).rejects.toThrow(
      /elsewhere, give its path with --workspace\.$/,
    );
  });
});
