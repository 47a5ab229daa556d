import { posix, win32 } from 'node:path';

/**
 * Where the `rolecall` command of an installed app lives and how it gets on the PATH. The app
 * ships a launcher in its resources (`bin/rolecall`, `bin/rolecall.cmd` on Windows) that runs the
 * bundled CLI on the app's own Node; installing the command makes that launcher reachable from a
 * terminal. Pure: the Electron adapter (`install-cli.ts`) reads the machine and carries out the plan.
 */
export interface CliInstallInput {
  platform: NodeJS.Platform;
  /** Electron's `process.resourcesPath` of the packaged app. */
  resourcesPath: string;
  /** The user's PATH as the app sees it (on macOS a GUI app gets launchd's short PATH). */
  path: string;
  home: string;
  /** The user's own PATH from the registry (Windows), which is what a new terminal gets. */
  windowsUserPath?: string;
  /** Whether the current user may create files in a directory. */
  writable: (dir: string) => boolean;
  /** What is at a path now: nothing, a link to somewhere, or something else. */
  existing: (path: string) => { kind: 'none' } | { kind: 'link'; to: string } | { kind: 'other' };
  /** Where a link may go, best first (default: LINK_DIRS). */
  linkDirs?: string[];
}

export type CliInstallPlan =
  /** Make `linkPath` a symbolic link to the launcher (replacing an older link of ours). */
  | { kind: 'link'; launcher: string; linkPath: string; replaces: string | null }
  /** Set the user's PATH (Windows) to `userPath`, which now includes `dir`. */
  | { kind: 'user-path'; launcher: string; dir: string; userPath: string }
  /** Nothing to change. */
  | { kind: 'done'; launcher: string; sentence: string }
  /** The app cannot do it itself; the sentence says what the user runs. */
  | { kind: 'manual'; launcher: string; sentence: string };

/**
 * Directories a link may go in, best first: /usr/local/bin is on every macOS PATH (and
 * Homebrew's on Apple silicon), ~/.local/bin is the XDG place for a user's own commands.
 */
export const LINK_DIRS = ['/usr/local/bin', '/opt/homebrew/bin', '~/.local/bin', '~/bin'];

export function cliLauncherPath(platform: NodeJS.Platform, resourcesPath: string): string {
  return platform === 'win32'
    ? win32.join(resourcesPath, 'bin', 'rolecall.cmd')
    : posix.join(resourcesPath, 'bin', 'rolecall');
}

export function planCliInstall(input: CliInstallInput): CliInstallPlan {
  const launcher = cliLauncherPath(input.platform, input.resourcesPath);
  return input.platform === 'win32' ? windowsPlan(input, launcher) : linkPlan(input, launcher);
}

function linkPlan(input: CliInstallInput, launcher: string): CliInstallPlan {
  const expand = (dir: string) =>
    dir.startsWith('~/') ? posix.join(input.home, dir.slice(2)) : dir;
  const onPath = new Set(input.path.split(':').filter(Boolean));
  const linkDirs = (input.linkDirs ?? LINK_DIRS).map(expand);
  for (const dir of linkDirs) {
    const linkPath = posix.join(dir, 'rolecall');
    const there = input.existing(linkPath);
    if (there.kind === 'link' && there.to === launcher) {
      return { kind: 'done', launcher, sentence: `${linkPath} already runs this app's rolecall.` };
    }
  }
  // A directory on the PATH first; ~/.local/bin off the PATH still beats nothing (the sentence
  // then says to add it).
  const candidates = [...linkDirs].sort((a, b) => Number(onPath.has(b)) - Number(onPath.has(a)));
  for (const dir of candidates) {
    if (!input.writable(dir)) continue;
    const linkPath = posix.join(dir, 'rolecall');
    const there = input.existing(linkPath);
    if (there.kind === 'other') continue;
    if (there.kind === 'link' && !isOurLauncher(there.to)) continue;
    return {
      kind: 'link',
      launcher,
      linkPath,
      replaces: there.kind === 'link' ? there.to : null,
    };
  }
  return {
    kind: 'manual',
    launcher,
    sentence: `No directory on your PATH is writable for you. In a terminal, run: sudo ln -sf ${shellQuote(launcher)} /usr/local/bin/rolecall`,
  };
}

/** A link left by an older copy of the app (moved, or another version) may be replaced. */
function isOurLauncher(target: string): boolean {
  return /(^|\/)Resources\/bin\/rolecall$|(^|\/)resources\/bin\/rolecall$/.test(target);
}

function windowsPlan(input: CliInstallInput, launcher: string): CliInstallPlan {
  const dir = win32.dirname(launcher);
  const userPath = input.windowsUserPath ?? '';
  const entries = userPath.split(';').filter((entry) => entry.trim() !== '');
  const same = (entry: string) =>
    win32.normalize(entry.replace(/[\\/]+$/, '')).toLowerCase() === dir.toLowerCase();
  if (entries.some(same)) {
    return { kind: 'done', launcher, sentence: `${dir} is already on your PATH.` };
  }
  return { kind: 'user-path', launcher, dir, userPath: [...entries, dir].join(';') };
}

/** Single quotes for a POSIX shell: the path of an app bundle may hold spaces. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The sentence the app shows once the plan is carried out. */
export function cliInstalledSentence(plan: CliInstallPlan, onPath: boolean): string {
  switch (plan.kind) {
    case 'link':
      return onPath
        ? `Installed: ${plan.linkPath} runs this app's rolecall. Open a new terminal and run rolecall --help.`
        : `Installed ${plan.linkPath}, but ${posix.dirname(plan.linkPath)} is not on your PATH: add it in your shell's profile, then open a new terminal.`;
    case 'user-path':
      return `Added ${plan.dir} to your PATH. Open a new terminal and run rolecall --help.`;
    case 'done':
    case 'manual':
      return plan.sentence;
  }
}
