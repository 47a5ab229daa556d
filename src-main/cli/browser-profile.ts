import { spawn } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { RolecallError } from '../core/errors';

/**
 * Opening the console in a browser profile of its own — a directory Rolecall keeps per name under
 * ROLECALL_HOME/browser-profiles — so two accounts' consoles can be open side by side: each
 * profile has its own cookies, and the AWS console keeps one sign-in per browser profile. The
 * browsers that take a profile directory on their command line are the Chromium family (Chrome,
 * Edge, Brave, Chromium) and Firefox.
 */

export type BrowserFamily = 'chromium' | 'firefox';

export interface Browser {
  path: string;
  family: BrowserFamily;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `name` cannot name a browser profile, or null. */
export function browserProfileNameProblem(name: string): string | null {
  return NAME.test(name)
    ? null
    : `"${name}" cannot name a browser profile: use up to 64 letters, digits, dots, dashes and underscores, starting with a letter or digit`;
}

export function browserProfileDirectory(home: string, name: string): string {
  return join(home, 'browser-profiles', name);
}

/** Where each platform's browsers usually are, most used first; names are looked up on PATH. */
export function browserCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  switch (platform) {
    case 'darwin':
      return [
        'Google Chrome.app/Contents/MacOS/Google Chrome',
        'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
        'Brave Browser.app/Contents/MacOS/Brave Browser',
        'Chromium.app/Contents/MacOS/Chromium',
        'Firefox.app/Contents/MacOS/firefox',
      ].map((inside) => `/Applications/${inside}`);
    case 'win32': {
      const programFiles = env.ProgramFiles ?? 'C:\\Program Files';
      const programFilesX86 = env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)';
      const local = env.LOCALAPPDATA;
      return [
        `${programFiles}\\Google\\Chrome\\Application\\chrome.exe`,
        `${programFilesX86}\\Google\\Chrome\\Application\\chrome.exe`,
        ...(local ? [`${local}\\Google\\Chrome\\Application\\chrome.exe`] : []),
        `${programFilesX86}\\Microsoft\\Edge\\Application\\msedge.exe`,
        `${programFiles}\\Microsoft\\Edge\\Application\\msedge.exe`,
        `${programFiles}\\BraveSoftware\\Brave-Browser\\Application\\brave.exe`,
        `${programFiles}\\Mozilla Firefox\\firefox.exe`,
      ];
    }
    default:
      return [
        'google-chrome',
        'google-chrome-stable',
        'microsoft-edge',
        'brave-browser',
        'chromium',
        'chromium-browser',
        'firefox',
      ];
  }
}

export function browserFamily(path: string): BrowserFamily {
  return /firefox[^/\\]*$/i.test(path) ? 'firefox' : 'chromium';
}

/** The command that opens `url` in a new window of the browser profile in `directory`. */
export function launchInProfile(
  browser: Browser,
  directory: string,
  url: string,
): { command: string; args: string[] } {
  const args =
    browser.family === 'firefox'
      ? ['--profile', directory, '--new-window', url]
      : [
          `--user-data-dir=${directory}`,
          '--no-first-run',
          '--no-default-browser-check',
          '--new-window',
          url,
        ];
  return { command: browser.path, args };
}

export type IsExecutable = (path: string) => Promise<boolean>;

const isExecutable: IsExecutable = async (path) => {
  try {
    await access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

async function resolveProgram(
  program: string,
  env: NodeJS.ProcessEnv,
  executable: IsExecutable,
): Promise<string | null> {
  if (isAbsolute(program)) return (await executable(program)) ? program : null;
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const path = join(directory, program);
    if (await executable(path)) return path;
  }
  return null;
}

/**
 * The browser to use: ROLECALL_BROWSER when set (a path, or a name on PATH), else the first of
 * the platform's usual browsers that is installed.
 */
export async function findBrowser(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  executable: IsExecutable = isExecutable,
): Promise<Browser> {
  const chosen = env.ROLECALL_BROWSER;
  if (chosen) {
    const path = await resolveProgram(chosen, env, executable);
    if (path === null) {
      throw new RolecallError(
        'no-browser',
        `ROLECALL_BROWSER names ${chosen}, which is not a program here; set it to a Chrome, Edge, Brave, Chromium or Firefox program.`,
        404,
      );
    }
    return { path, family: browserFamily(path) };
  }
  for (const candidate of browserCandidates(platform, env)) {
    const path = await resolveProgram(candidate, env, executable);
    if (path !== null) return { path, family: browserFamily(path) };
  }
  throw new RolecallError(
    'no-browser',
    'Found no Chrome, Edge, Brave, Chromium or Firefox to keep a browser profile in; set ROLECALL_BROWSER to one, or leave out --browser-profile to use your default browser.',
    404,
  );
}

/** Opens `url` in a new window of the named browser profile, making the profile when new. */
export async function openInBrowserProfile(
  url: string,
  name: string,
  home: string,
  env: NodeJS.ProcessEnv,
): Promise<Browser> {
  const browser = await findBrowser(process.platform, env);
  const directory = browserProfileDirectory(home, name);
  // Cookies and sessions of the console live here: readable by the user alone.
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const { command, args } = launchInProfile(browser, directory, url);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: false });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new RolecallError(
          'no-browser',
          `Could not start ${command} (${error.code ?? error.message}); set ROLECALL_BROWSER to another browser.`,
        ),
      ),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
  return browser;
}
