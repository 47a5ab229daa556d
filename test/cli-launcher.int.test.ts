import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROLECALL_VERSION } from '../src-main/core/version';

/**
 * The launcher the app ships (resources/bin/rolecall) run as a user runs it: through a link on
 * the PATH, in the layout the deb installs (/opt/Rolecall), with the built CLI inside app.asar.
 * Electron's binary is stood in for by a script that, like Electron with ELECTRON_RUN_AS_NODE=1,
 * runs its first argument as Node — and refuses otherwise.
 */
const root = resolve(__dirname, '..');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-launcher-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('the rolecall launcher inside the app', () => {
  it('runs the bundled CLI on the app binary as Node, found through a link', async () => {
    const app = join(dir, 'opt/Rolecall');
    await mkdir(join(app, 'resources/bin'), { recursive: true });
    await mkdir(join(app, 'resources/app.asar'), { recursive: true });
    await symlink(join(root, 'out'), join(app, 'resources/app.asar/out'));
    await copyFile(join(root, 'resources/bin/rolecall'), join(app, 'resources/bin/rolecall'));
    await chmod(join(app, 'resources/bin/rolecall'), 0o755);
    await writeFile(
      join(app, 'rolecall-desktop'),
      `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "started as the desktop app" >&2; exit 9; }\nexec ${JSON.stringify(process.execPath)} "$@"\n`,
      { mode: 0o755 },
    );
    const bin = join(dir, 'usr/bin');
    await mkdir(bin, { recursive: true });
    await symlink(join(app, 'resources/bin/rolecall'), join(bin, 'rolecall'));

    const { stdout } = await promisify(execFile)(join(bin, 'rolecall'), ['--version'], {
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir },
    });
    expect(stdout.trim()).toBe(ROLECALL_VERSION);
  });
});
