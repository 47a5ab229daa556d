import { spawn } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * The CA certificate is public: an administrator who is not the user running Rolecall must be
 * able to read it, e.g. to `rolecall trust --ca-file` it. Shown by running the CLI as `nobody`,
 * which only root can do here.
 */
const canSwitchUser = process.getuid?.() === 0 && process.platform === 'linux';

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
  // A home directory other users may pass through, as most are.
  await chmod(ws.dir, 0o755);
});
afterAll(async () => {
  await ws?.dispose();
});

function runAsNobody(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, ...args],
      {
        env: { PATH: process.env.PATH, HOME: '/nonexistent' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(!canSwitchUser)('the CA certificate, seen by another user', () => {
  it('is found and read by `rolecall trust --ca-file` run as someone else', async () => {
    expect((await runCli(['cert'], ws.env)).code).toBe(0);
    const caFile = join(ws.home, 'tls', 'ca.pem');
    const trust = await runAsNobody(['trust', '--ca-file', caFile]);
    // It gets as far as the system store, which only an administrator may change.
    expect(trust.stderr).not.toContain('There is no CA');
    expect(trust.stderr).not.toContain('Cannot read the CA');
    expect(trust.stderr).toMatch(/needs administrator rights/);
    expect(trust.code).toBe(1);
  });

  it('says it cannot read a CA file it may not read, instead of saying there is none', async () => {
    const caFile = join(ws.home, 'tls', 'ca.pem');
    await chmod(caFile, 0o600);
    try {
      const trust = await runAsNobody(['trust', '--ca-file', caFile]);
      expect(trust.stderr).toBe(
        `rolecall: Cannot read the CA at ${caFile} (EACCES). Give --ca-file a copy this user can read, or run \`rolecall cert\` as its owner to make it readable again.\n`,
      );
    } finally {
      await chmod(caFile, 0o644);
    }
  });
});
