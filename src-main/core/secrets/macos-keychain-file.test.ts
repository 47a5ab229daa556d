import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitedWith } from '../../../test/helpers/run-outcome';
import type { RunOutcome } from '../sources/run-command';
import {
  findKeychainFile,
  parseKeychainDump,
  readKeychainFileItems,
  type SecurityTool,
} from './macos-keychain-file';

const PATH = '/Users/ada/Library/Keychains/aws-vault.keychain-db';

/** What `security dump-keychain` prints for aws-vault's keychain: two profiles, a session, and an item of another service. */
const DUMP = `keychain: "${PATH}"
version: 512
class: "genp"
attributes:
    0x00000007 <blob>="aws-vault (dev)"
    0x00000008 <blob>=<NULL>
    "acct"<blob>="dev"
    "cdat"<timedate>=0x32303236313133303132303030305A00  "20261130120000Z\\000"
    "crtr"<uint32>=<NULL>
    "cusi"<sint32>=<NULL>
    "desc"<blob>=<NULL>
    "gena"<blob>=<NULL>
    "icmt"<blob>=<NULL>
    "invi"<sint32>=<NULL>
    "labl"<blob>="aws-vault (dev)"
    "nega"<sint32>=<NULL>
    "prot"<blob>=<NULL>
    "scrp"<sint32>=<NULL>
    "svce"<blob>="aws-vault"
    "type"<uint32>=<NULL>
keychain: "${PATH}"
version: 512
class: "genp"
attributes:
    "acct"<blob>=0x70726F642DC3A9  "prod-\\303\\251"
    "svce"<blob>="aws-vault"
keychain: "${PATH}"
version: 512
class: "genp"
attributes:
    "acct"<blob>="sts.GetSessionToken,ZGV2,,1796094238"
    "svce"<blob>="aws-vault"
keychain: "${PATH}"
version: 512
class: "genp"
attributes:
    "acct"<blob>="someone"
    "svce"<blob>="another-tool"
keychain: "${PATH}"
version: 512
class: 0x80001000
attributes:
    "acct"<blob>="dev"
    "svce"<blob>="aws-vault"
`;

describe("reading a keychain file with Apple's security tool", () => {
  it('reads the records and attributes of dump-keychain, hex values from the hex', () => {
    const records = parseKeychainDump(DUMP);
    expect(records.map((record) => [record.class, record.attributes.acct])).toEqual([
      ['genp', 'dev'],
      ['genp', 'prod-é'],
      ['genp', 'sts.GetSessionToken,ZGV2,,1796094238'],
      ['genp', 'someone'],
      ['0x80001000', 'dev'],
    ]);
    expect(records[0]!.attributes).toMatchObject({ labl: 'aws-vault (dev)', svce: 'aws-vault' });
    expect(records[0]!.attributes).not.toHaveProperty('desc');
  });

  it('asks for each generic password of the service by account, and keeps the secret off every command line', async () => {
    const calls: string[][] = [];
    const security: SecurityTool = async (args) => {
      calls.push(args);
      if (args[0] === 'dump-keychain') return exitedWith(DUMP);
      const account = args[args.indexOf('-a') + 1]!;
      return exitedWith(`secret of ${account}\n`);
    };
    const items = await readKeychainFileItems(PATH, 'aws-vault', security);
    expect(items).toEqual([
      { account: 'dev', password: 'secret of dev' },
      { account: 'prod-é', password: 'secret of prod-é' },
      {
        account: 'sts.GetSessionToken,ZGV2,,1796094238',
        password: 'secret of sts.GetSessionToken,ZGV2,,1796094238',
      },
    ]);
    expect(calls[0]).toEqual(['dump-keychain', PATH]);
    expect(calls[1]).toEqual(['find-generic-password', '-s', 'aws-vault', '-a', 'dev', '-w', PATH]);
    expect(calls.flat().join(' ')).not.toContain('secret of');
  });

  it('says in one sentence why nothing was read: a denied prompt, no answer, no tool', async () => {
    const failing = (outcome: RunOutcome) =>
      readKeychainFileItems(PATH, 'aws-vault', async () => outcome);
    await expect(
      failing(
        exitedWith('', 128, 'security: SecKeychainItemCopyContent: User canceled the operation.\n'),
      ),
    ).rejects.toThrow(/^Access to .* was denied at macOS's prompt, so nothing was imported;/);
    await expect(failing({ kind: 'timed-out', stderr: '' })).rejects.toThrow(
      /not answered in 5 minutes/,
    );
    await expect(
      failing(
        exitedWith(
          '',
          51,
          'security: SecKeychainCopyContent: The specified keychain could not be found.',
        ),
      ),
    ).rejects.toThrow(
      /^Could not read .* \(security said: security: SecKeychainCopyContent: The specified keychain could not be found\.\), so nothing was imported\.$/,
    );
    await expect(
      failing({ kind: 'spawn-failed', error: Object.assign(new Error('x'), { code: 'ENOENT' }) }),
    ).rejects.toThrow(/^Could not run \/usr\/bin\/security/);
  });
});

describe('finding the keychain file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'rolecall-keychains-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('finds <name>.keychain-db, or <name>.keychain as older macOS wrote it, or nothing', async () => {
    const keychains = join(home, 'Library', 'Keychains');
    expect(await findKeychainFile(home, 'aws-vault')).toBeNull();
    await mkdir(keychains, { recursive: true });
    await writeFile(join(keychains, 'aws-vault.keychain'), '');
    expect(await findKeychainFile(home, 'aws-vault')).toBe(join(keychains, 'aws-vault.keychain'));
    await writeFile(join(keychains, 'aws-vault.keychain-db'), '');
    expect(await findKeychainFile(home, 'aws-vault')).toBe(
      join(keychains, 'aws-vault.keychain-db'),
    );
  });
});
