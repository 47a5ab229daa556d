import { describe, expect, it } from 'vitest';
import { cliInstalledSentence, planCliInstall, type CliInstallInput } from './cli-install';

const MAC_RESOURCES = '/Applications/Rolecall.app/Contents/Resources';
const MAC_LAUNCHER = `${MAC_RESOURCES}/bin/rolecall`;

function mac(overrides: Partial<CliInstallInput> = {}): CliInstallInput {
  return {
    platform: 'darwin',
    resourcesPath: MAC_RESOURCES,
    path: '/usr/bin:/bin:/usr/sbin:/sbin:/usr/local/bin',
    home: '/Users/ada',
    writable: () => true,
    existing: () => ({ kind: 'none' }),
    ...overrides,
  };
}

describe('installing the command on macOS and Linux', () => {
  it('links /usr/local/bin/rolecall to the launcher inside the app', () => {
    expect(planCliInstall(mac())).toEqual({
      kind: 'link',
      launcher: MAC_LAUNCHER,
      linkPath: '/usr/local/bin/rolecall',
      replaces: null,
    });
  });

  it('prefers a writable directory on the PATH over one that is not', () => {
    const plan = planCliInstall(
      mac({
        path: '/usr/bin:/Users/ada/.local/bin',
        writable: (dir) => dir === '/Users/ada/.local/bin' || dir === '/Users/ada/bin',
      }),
    );
    expect(plan).toMatchObject({ kind: 'link', linkPath: '/Users/ada/.local/bin/rolecall' });
    expect(cliInstalledSentence(plan, true)).toBe(
      "Installed: /Users/ada/.local/bin/rolecall runs this app's rolecall. Open a new terminal and run rolecall --help.",
    );
  });

  it('says to add the directory to the PATH when only one off the PATH is writable', () => {
    const plan = planCliInstall(mac({ writable: (dir) => dir === '/Users/ada/.local/bin' }));
    expect(plan).toMatchObject({ kind: 'link', linkPath: '/Users/ada/.local/bin/rolecall' });
    expect(cliInstalledSentence(plan, false)).toContain(
      '/Users/ada/.local/bin is not on your PATH: add it',
    );
  });

  it('never replaces a rolecall that is not one of ours (a clone, npm -g, a file)', () => {
    const plan = planCliInstall(
      mac({
        existing: (path) =>
          path === '/usr/local/bin/rolecall'
            ? { kind: 'link', to: '/usr/local/lib/node_modules/rolecall/out/main/cli.js' }
            : path === '/opt/homebrew/bin/rolecall'
              ? { kind: 'other' }
              : { kind: 'none' },
      }),
    );
    expect(plan).toMatchObject({ kind: 'link', linkPath: '/Users/ada/.local/bin/rolecall' });
  });

  it('replaces the link of an older copy of the app', () => {
    const old = '/Users/ada/Downloads/Rolecall.app/Contents/Resources/bin/rolecall';
    const plan = planCliInstall(
      mac({
        existing: (path) =>
          path === '/usr/local/bin/rolecall' ? { kind: 'link', to: old } : { kind: 'none' },
      }),
    );
    expect(plan).toEqual({
      kind: 'link',
      launcher: MAC_LAUNCHER,
      linkPath: '/usr/local/bin/rolecall',
      replaces: old,
    });
  });

  it('has nothing to do when a link to this app is there', () => {
    const plan = planCliInstall(
      mac({
        existing: (path) =>
          path === '/opt/homebrew/bin/rolecall'
            ? { kind: 'link', to: MAC_LAUNCHER }
            : { kind: 'none' },
      }),
    );
    expect(plan).toEqual({
      kind: 'done',
      launcher: MAC_LAUNCHER,
      sentence: "/opt/homebrew/bin/rolecall already runs this app's rolecall.",
    });
  });

  it('gives the command to run when nothing is writable, quoting the path', () => {
    const plan = planCliInstall(
      mac({
        resourcesPath: '/Applications/Role call.app/Contents/Resources',
        writable: () => false,
      }),
    );
    expect(plan).toEqual({
      kind: 'manual',
      launcher: '/Applications/Role call.app/Contents/Resources/bin/rolecall',
      sentence:
        "No directory on your PATH is writable for you. In a terminal, run: sudo ln -sf '/Applications/Role call.app/Contents/Resources/bin/rolecall' /usr/local/bin/rolecall",
    });
  });
});

describe('installing the command on Windows', () => {
  const resources = 'C:\\Users\\ada\\AppData\\Local\\Programs\\Rolecall\\resources';
  const windows = (windowsUserPath: string | undefined): CliInstallInput => ({
    platform: 'win32',
    resourcesPath: resources,
    path: '',
    home: 'C:\\Users\\ada',
    writable: () => true,
    existing: () => ({ kind: 'none' }),
    ...(windowsUserPath === undefined ? {} : { windowsUserPath }),
  });

  it("adds the launcher's folder to the user's PATH, keeping what is there", () => {
    expect(planCliInstall(windows('C:\\tools;%USERPROFILE%\\bin;'))).toEqual({
      kind: 'user-path',
      launcher: `${resources}\\bin\\rolecall.cmd`,
      dir: `${resources}\\bin`,
      userPath: `C:\\tools;%USERPROFILE%\\bin;${resources}\\bin`,
    });
  });

  it('starts a PATH for a user who has none of their own', () => {
    expect(planCliInstall(windows(undefined))).toMatchObject({
      kind: 'user-path',
      userPath: `${resources}\\bin`,
    });
  });

  it('has nothing to do when the folder is there already, in any case or with a slash', () => {
    const plan = planCliInstall(windows(`C:\\tools;${resources.toLowerCase()}\\BIN\\`));
    expect(plan).toMatchObject({ kind: 'done' });
    expect(cliInstalledSentence(plan, true)).toBe(`${resources}\\bin is already on your PATH.`);
  });
});
