import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { Broker } from '../broker/broker';
import { defaultRefreshPolicy } from '../broker/refresh-policy';
import { createSourceResolver } from './resolve-source';

const HOUR = 60 * 60 * 1000;

let dir: string;
let files: { configFile: string; credentialsFile: string };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-renewal-'));
  files = { configFile: join(dir, 'config'), credentialsFile: join(dir, 'credentials') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('renewing a profile once its AWS config file is refused', () => {
  it('fails with the refusal and keeps serving the credentials held until they expire', async () => {
    const clock = new ManualClock(Date.now());
    const output = JSON.stringify({
      Version: 1,
      AccessKeyId: 'ASIASLOW',
      SecretAccessKey: 'secret',
      Expiration: new Date(clock.now() + HOUR).toISOString(),
    });
    const profile = `[profile slow]\ncredential_process = /bin/echo '${output}'\n`;
    await writeFile(files.configFile, profile);
    const broker = new Broker({
      clock,
      resolveSource: createSourceResolver({ files }),
      policy: defaultRefreshPolicy,
      random: () => 0,
    });
    const failures: string[] = [];
    broker.on('refresh-failed', ({ error }) => failures.push(error));

    await broker.load('slow', { slot: true });
    await writeFile(
      files.configFile,
      `${profile}[profile broken\ncredential_process = /bin/BROKEN\n`,
    );
    const refusal = `${files.configFile} line 3: \`[profile broken\` is not a section header (it has no closing \`]\`). The AWS CLI refuses this file too. Fix the line; until then Rolecall loads no profile and makes no request to AWS.`;

    // Up to the first renewal attempt, and past it.
    const { nextRefreshAt } = broker.snapshot().entries[0]!;
    await clock.advance(Date.parse(nextRefreshAt!) - clock.now() + 1000);
    // The renewal reads the files for real, so its end is waited for, not advanced to.
    await vi.waitFor(() => expect(failures).toEqual([refusal]));
    expect(broker.snapshot().entries[0]).toMatchObject({ lastError: refusal });
    expect(broker.servableNow({ kind: 'named', profile: 'slow' })?.credentials.accessKeyId).toBe(
      'ASIASLOW',
    );
  });
});
