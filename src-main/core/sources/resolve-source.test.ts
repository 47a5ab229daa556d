import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionTokens } from '../sso/session-tokens';
import { createSourceResolver } from './resolve-source';
import { testFetchContext } from '../../../test/helpers/fetch-context';

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
