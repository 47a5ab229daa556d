import { mkdir, mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installCommandLineTool, type RunProgram } from './install-cli';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-install-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('Install command-line tool… on macOS', () => {
  it('links the launcher into a writable directory on the PATH, once', async () => {
    const resourcesPath = join(dir, 'Rolecall.app/Contents/Resources');
    await mkdir(join(resourcesPath, 'bin'), { recursive: true });
    await writeFile(join(resourcesPath, 'bin/rolecall'), '#!/bin/sh\n', { mode: 0o755 });
    const bin = join(dir, 'bin');
    await mkdir(bin);
    const options = {
      platform: 'darwin' as const,
      resourcesPath,
      env: { PATH: `/usr/bin:${bin}` },
      home: join(dir, 'home'),
      linkDirs: [join(dir, 'missing'), bin],
    };

    expect(await installCommandLineTool(options)).toBe(
      `Installed: ${bin}/rolecall runs this app's rolecall. Open a new terminal and run rolecall --help.`,
    );
    expect(await readlink(join(bin, 'rolecall'))).toBe(join(resourcesPath, 'bin/rolecall'));
    expect(await installCommandLineTool(options)).toBe(
      `${bin}/rolecall already runs this app's rolecall.`,
    );
  });

  it('fails with the command to run when it can write nowhere', async () => {
    await expect(
      installCommandLineTool({
        platform: 'darwin',
        resourcesPath: '/Applications/Rolecall.app/Contents/Resources',
        env: { PATH: '/usr/bin' },
        home: join(dir, 'no-such-home'),
        linkDirs: [join(dir, 'missing')],
      }),
    ).rejects.toThrow(
      'No directory on your PATH is writable for you. In a terminal, run: sudo ln -sf /Applications/Rolecall.app/Contents/Resources/bin/rolecall /usr/local/bin/rolecall',
    );
  });
});

describe('Install command-line tool… on Windows', () => {
  it("adds the launcher's folder to the user's PATH through PowerShell, the value in the environment", async () => {
    const calls: Array<{ args: string[]; userPath: string | undefined }> = [];
    const run: RunProgram = async (file, args, env) => {
      expect(file).toBe('powershell.exe');
      calls.push({ args, userPath: env.ROLECALL_USER_PATH });
      return { stdout: calls.length === 1 ? 'C:\\tools\r\n' : '' };
    };
    const resourcesPath = 'C:\\Users\\ada\\AppData\\Local\\Programs\\Rolecall\\resources';
    expect(await installCommandLineTool({ platform: 'win32', resourcesPath, env: {}, run })).toBe(
      `Added ${resourcesPath}\\bin to your PATH. Open a new terminal and run rolecall --help.`,
    );
    expect(calls.map((call) => call.args.at(-1))).toEqual([
      "[Environment]::GetEnvironmentVariable('Path', 'User')",
      "[Environment]::SetEnvironmentVariable('Path', $env:ROLECALL_USER_PATH, 'User')",
    ]);
    expect(calls[1]!.userPath).toBe(`C:\\tools;${resourcesPath}\\bin`);
  });
});
