import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfiles, type ProfileCatalog } from '../config/profiles';
import { pickSession } from './sso-sessions';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-sso-sessions-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function catalogOf(lines: string[]): Promise<ProfileCatalog> {
  const configFile = join(dir, 'config');
  await writeFile(configFile, lines.join('\n') + '\n');
  return loadProfiles({ configFile, credentialsFile: join(dir, 'credentials') });
}

const START = 'https://my-company.awsapps.com/start';

describe('pickSession: the session `rolecall login <name>` means', () => {
  it('takes a start URL that legacy profiles and an [sso-session] share as the legacy one', async () => {
    // A config half moved to [sso-session]: the legacy profiles sign in apart (the AWS CLI keys
    // their token by the start URL), and `rolecall profiles` tells them `rolecall login <url>`.
    const catalog = await catalogOf([
      '[sso-session my-company]',
      `sso_start_url = ${START}`,
      'sso_region = eu-west-1',
      '[profile legacy]',
      `sso_start_url = ${START}`,
      'sso_region = eu-west-1',
      'sso_account_id = 123456789012',
      'sso_role_name = ReadOnly',
    ]);
    expect(pickSession(catalog, START)).toEqual({
      name: null,
      startUrl: START,
      region: 'eu-west-1',
    });
    expect(pickSession(catalog, 'my-company')).toMatchObject({ name: 'my-company' });
  });

  it('still finds an [sso-session] by its start URL when no legacy profile has it', async () => {
    const catalog = await catalogOf([
      '[sso-session my-company]',
      `sso_start_url = ${START}`,
      'sso_region = eu-west-1',
    ]);
    expect(pickSession(catalog, START)).toMatchObject({ name: 'my-company', startUrl: START });
  });
});
