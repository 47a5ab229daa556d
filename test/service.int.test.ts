import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * `rolecall service install --dry-run` as a person runs it, its output checked by systemd's own
 * tool. Nothing is installed: the dry run writes and runs nothing.
 */
let ws: Workspace;

beforeAll(async () => {
  ws = await createWorkspace();
});

afterAll(async () => {
  await ws?.dispose();
});

function systemdAnalyzeMissing(): boolean {
  const probe = spawnSync('systemd-analyze', ['--version']);
  if (probe.error && process.env.CI) {
    throw new Error('CI must have systemd-analyze (.ci/run installs systemd)');
  }
  return Boolean(probe.error) || process.platform !== 'linux';
}

describe.skipIf(systemdAnalyzeMissing())('rolecall service install --dry-run', () => {
  it('prints a unit systemd-analyze verifies, and the commands it would run', async () => {
    const socket = join(ws.dir, 'rolecall.sock');
    const result = await runCli(['service', 'install', '--dry-run', '--', '--socket', socket], {
      ...ws.env,
      XDG_CONFIG_HOME: join(ws.dir, 'config'),
    });
    expect(result.code, result.stderr).toBe(0);
    const unitPath = join(ws.dir, 'config', 'systemd', 'user', 'rolecall.service');
    expect(result.stderr).toContain(`Would write ${unitPath}:`);
    expect(result.stderr).toContain('Would run: systemctl --user restart rolecall.service');
    expect(result.stderr).toContain('loginctl enable-linger');
    expect(result.stdout).toContain(`"serve" "--socket" "${socket}"`);
    expect(result.stdout).toContain(`Environment="ROLECALL_HOME=${ws.home}"`);

    const checked = join(ws.dir, 'check');
    await mkdir(checked, { recursive: true });
    await writeFile(join(checked, 'rolecall.service'), result.stdout);
    const runtime = join(ws.dir, 'runtime');
    await mkdir(runtime, { recursive: true, mode: 0o700 });
    const verify = spawnSync(
      'systemd-analyze',
      ['--user', 'verify', join(checked, 'rolecall.service')],
      { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } },
    );
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });

  it('refuses an option rolecall serve does not have, before writing anything', async () => {
    const result = await runCli(['service', 'install', '--dry-run', '--', '--sockt', 'x'], ws.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--sockt is not an option of `rolecall serve`');
    expect(result.stdout).toBe('');
  });
});
