import { describe, expect, it } from 'vitest';
import {
  browserCandidates,
  browserFamily,
  browserProfileNameProblem,
  findBrowser,
  launchInProfile,
} from './browser-profile';

describe('browser profiles for the console', () => {
  it('takes names that make a plain directory, and refuses the rest in words', () => {
    for (const name of ['prod', 'acme-dev', 'team.ops_2']) {
      expect(browserProfileNameProblem(name), name).toBeNull();
    }
    for (const name of ['', '../home', 'a/b', '.hidden', 'x'.repeat(65), 'two words']) {
      expect(browserProfileNameProblem(name), name).toMatch(/cannot name a browser profile/);
    }
  });

  it('opens a new window of a profile directory, as each family of browser takes it', () => {
    expect(
      launchInProfile({ path: '/usr/bin/chromium', family: 'chromium' }, '/h/prod', 'http://x/'),
    ).toEqual({
      command: '/usr/bin/chromium',
      args: [
        '--user-data-dir=/h/prod',
        '--no-first-run',
        '--no-default-browser-check',
        '--new-window',
        'http://x/',
      ],
    });
    expect(
      launchInProfile({ path: '/usr/bin/firefox', family: 'firefox' }, '/h/prod', 'http://x/'),
    ).toEqual({
      command: '/usr/bin/firefox',
      args: ['--profile', '/h/prod', '--new-window', 'http://x/'],
    });
    expect(browserFamily('/Applications/Firefox.app/Contents/MacOS/firefox')).toBe('firefox');
    expect(browserFamily('C:\\Program Files\\Mozilla Firefox\\firefox.exe')).toBe('firefox');
    expect(browserFamily('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')).toBe(
      'chromium',
    );
  });

  it('uses ROLECALL_BROWSER when set, else the first usual browser installed', async () => {
    const installed = new Set([
      '/opt/bin/chromium',
      '/opt/bin/firefox',
      '/Applications/Firefox.app/Contents/MacOS/firefox',
    ]);
    const executable = async (path: string) => installed.has(path);
    expect(await findBrowser('linux', { PATH: '/usr/bin:/opt/bin' }, executable)).toEqual({
      path: '/opt/bin/chromium',
      family: 'chromium',
    });
    expect(
      await findBrowser('linux', { PATH: '/opt/bin', ROLECALL_BROWSER: 'firefox' }, executable),
    ).toEqual({ path: '/opt/bin/firefox', family: 'firefox' });
    expect(await findBrowser('darwin', {}, executable)).toEqual({
      path: '/Applications/Firefox.app/Contents/MacOS/firefox',
      family: 'firefox',
    });
    await expect(
      findBrowser('linux', { PATH: '/opt/bin', ROLECALL_BROWSER: 'opera' }, executable),
    ).rejects.toThrow(/^ROLECALL_BROWSER names opera, which is not a program here;/);
    await expect(findBrowser('linux', { PATH: '/usr/bin' }, executable)).rejects.toThrow(
      /^Found no Chrome, Edge, Brave, Chromium or Firefox/,
    );
  });

  it('looks where Windows installs browsers, per machine and per user', () => {
    const candidates = browserCandidates('win32', {
      ProgramFiles: 'C:\\Program Files',
      'ProgramFiles(x86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
    });
    expect(candidates).toContain(
      'C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    );
    expect(candidates).toContain(
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    );
  });
});
