import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { servicePlan, type ServiceHostFacts } from './service-plan';
import { carryOut, type CommandResult } from './service-run';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-service-run-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function facts(platform: NodeJS.Platform): ServiceHostFacts {
  return {
    platform,
    homedir: dir,
    uid: 501,
    windowsUser: 'CORP\\jo',
    env: {
      ROLECALL_HOME: '/home/jo/rc',
      AWS_SECRET_ACCESS_KEY: 'never-in-a-file',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'Bearer never-in-a-file',
      PATH: '/usr/bin',
      LOCALAPPDATA: join(dir, 'AppData'),
    },
    node: '/usr/bin/node',
    cli: '/opt/rolecall/out/main/cli.js',
  };
}

/** Records each command and answers from a script (exit 0 unless told). */
function recorder(codes: Record<string, number> = {}) {
  const ran: string[] = [];
  const run = async (argv: string[]): Promise<CommandResult> => {
    const line = argv.join(' ');
    ran.push(line);
    const code = codes[line] ?? 0;
    return { code, stdout: '', stderr: code ? 'Unit rolecall.service not found.' : '' };
  };
  return { ran, run };
}

function output() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text: string) => out.push(text),
    stderr: (text: string) => err.push(text),
  };
}

describe('carryOut', () => {
  it('with --dry-run prints the file to stdout and what it would do to stderr, and does nothing', async () => {
    const plan = servicePlan('install', facts('linux'), ['--socket', '/run/user/1000/rc.sock'])!;
    const { ran, run } = recorder();
    const io = output();
    expect(await carryOut(plan, { dryRun: true, run, ...io })).toBe(0);
    expect(ran).toEqual([]);
    expect(io.out.join('')).toBe(plan.file!.content);
    expect(io.err.join('')).toContain(
      `Would write ${join(dir, '.config/systemd/user/rolecall.service')}:`,
    );
    expect(io.err.join('')).toContain('Would run: systemctl --user enable rolecall.service');
    expect(io.err.join('')).toContain('loginctl enable-linger');
    await expect(stat(plan.file!.path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('installs: writes the unit, then reloads, enables and restarts; no secret is in the file', async () => {
    const plan = servicePlan('install', facts('linux'), [])!;
    const { ran, run } = recorder();
    await carryOut(plan, { dryRun: false, run, ...output() });
    const written = await readFile(plan.file!.path, 'utf8');
    expect(written).toBe(plan.file!.content);
    expect(written).toContain('Environment="ROLECALL_HOME=/home/jo/rc"');
    expect(written).not.toContain('never-in-a-file');
    expect(ran).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable rolecall.service',
      'systemctl --user restart rolecall.service',
    ]);
  });

  it('uninstalls what is not running, and stops at a command that fails, in a sentence', async () => {
    const install = servicePlan('install', facts('linux'), [])!;
    await carryOut(install, { dryRun: false, run: recorder().run, ...output() });
    const stopFails = recorder({ 'systemctl --user disable --now rolecall.service': 5 });
    await carryOut(servicePlan('uninstall', facts('linux'), [])!, {
      dryRun: false,
      run: stopFails.run,
      ...output(),
    });
    await expect(stat(install.file!.path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(stopFails.ran).toEqual([
      'systemctl --user disable --now rolecall.service',
      'systemctl --user daemon-reload',
    ]);

    const reloadFails = recorder({ 'systemctl --user daemon-reload': 1 });
    await expect(
      carryOut(install, { dryRun: false, run: reloadFails.run, ...output() }),
    ).rejects.toThrow(
      '`systemctl --user daemon-reload` failed (exit 1): Unit rolecall.service not found. Nothing after it was done; fix that and run the same rolecall service command again.',
    );
    expect(reloadFails.ran).toEqual(['systemctl --user daemon-reload']);
  });

  it('status ends with the service manager’s own status', async () => {
    const { run } = recorder({ 'systemctl --user status --no-pager rolecall.service': 3 });
    expect(
      await carryOut(servicePlan('status', facts('linux'), [])!, {
        dryRun: false,
        run,
        ...output(),
      }),
    ).toBe(3);
  });

  it('on macOS boots out a loaded agent before bootstrapping the new one', async () => {
    const plan = servicePlan('install', facts('darwin'), [])!;
    const { ran, run } = recorder({ 'launchctl bootout gui/501/dev.rolecall.serve': 3 });
    await carryOut(plan, { dryRun: false, run, ...output() });
    expect(plan.file!.path).toBe(join(dir, 'Library/LaunchAgents/dev.rolecall.serve.plist'));
    expect(ran).toEqual([
      'launchctl bootout gui/501/dev.rolecall.serve',
      `launchctl bootstrap gui/501 ${plan.file!.path}`,
    ]);
  });

  it('on Windows writes the task as UTF-16 with its byte order mark, then creates and runs it', async () => {
    const windowsPlan = servicePlan('install', facts('win32'), [])!;
    expect(windowsPlan.file!.path).toBe(
      `${facts('win32').env.LOCALAPPDATA}\\Rolecall\\rolecall-task.xml`.replace(/\//g, '\\'),
    );
    // The Windows path means nothing here: the file is written to the test's directory instead.
    const plan = { ...windowsPlan, file: { ...windowsPlan.file!, path: join(dir, 'task.xml') } };
    const { ran, run } = recorder();
    const io = output();
    await carryOut(plan, { dryRun: false, run, ...io });
    const bytes = await readFile(plan.file.path);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(plan.file.content);
    expect(ran).toEqual([
      'schtasks /End /TN Rolecall',
      `schtasks /Create /TN Rolecall /XML ${windowsPlan.file!.path} /F`,
      'schtasks /Run /TN Rolecall',
    ]);
    expect(io.err.join('')).toContain('set ROLECALL_HOME for your user (setx)');
  });

  it('knows no service manager elsewhere', () => {
    expect(servicePlan('install', facts('freebsd'), [])).toBeNull();
  });

  it('leaves a file it did not write alone when nothing is installed', async () => {
    const plan = servicePlan('uninstall', facts('linux'), [])!;
    const other = join(dir, 'other.service');
    await writeFile(other, 'x');
    await carryOut(plan, { dryRun: false, run: recorder().run, ...output() });
    expect(await readFile(other, 'utf8')).toBe('x');
  });
});
