// What `npm start` checks before it starts Electron: whether there is a display, and whether
// AppArmor lets Electron's sandbox start. The decisions are pure functions of facts; reading the
// facts from this machine is kept apart, in `readSandboxFacts`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Why no window can open here (Linux without an X11 or Wayland display), or null. */
export function missingDisplay(platform, env) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  }
  return null;
}

/**
 * Ubuntu 23.10 and later (kernel.apparmor_restrict_unprivileged_userns = 1) deny unconfined
 * programs the user namespaces Chromium's sandbox is built on. Electron then falls back to its
 * setuid helper, chrome-sandbox, which npm installs unprivileged — so Electron aborts ("The SUID
 * sandbox helper binary was found, but is not configured correctly"). It starts when the helper
 * is setuid root, when an AppArmor profile for this Electron binary allows `userns`, or when the
 * sandbox is turned off. Returns the reason and the fix in words, or null when Electron can start.
 */
export function sandboxBlockedByAppArmor(facts) {
  if (facts.platform !== 'linux' || facts.restrictUnprivilegedUserns !== '1') return null;
  if (facts.args.includes('--no-sandbox') || facts.env.ELECTRON_DISABLE_SANDBOX) return null;
  const helper = facts.sandboxHelper;
  if (helper && helper.uid === 0 && (helper.mode & 0o4000) !== 0) return null;
  const profiled = facts.appArmorProfiles.some(
    (profile) =>
      /^\s*userns\s*,/m.test(profile) &&
      profileAttachments(profile).some((glob) => globMatches(glob, facts.electronPath)),
  );
  if (profiled) return null;
  const helperPath = join(dirname(facts.electronPath), 'chrome-sandbox');
  return {
    reason:
      "AppArmor keeps Electron's sandbox from starting here (kernel.apparmor_restrict_unprivileged_userns = 1, " +
      `and ${helperPath} is ${helper ? 'not setuid root' : 'missing'})`,
    fix:
      `To use the desktop app, add an AppArmor profile that allows user namespaces for ${facts.electronPath} ` +
      '(README, "Ubuntu 24.04 and AppArmor"), or make the helper setuid root: ' +
      `\`sudo chown root:root ${helperPath} && sudo chmod 4755 ${helperPath}\`.`,
  };
}

/** The program paths (globs) an AppArmor profile file attaches to. */
export function profileAttachments(text) {
  const path = String.raw`("[^"]+"|/\S+)`;
  const patterns = [
    // profile electron /path/to/electron flags=(unconfined) {
    new RegExp(String.raw`^\s*profile\s+[^\s/"]\S*\s+${path}`, 'gm'),
    // profile /path/to/electron {
    new RegExp(String.raw`^\s*profile\s+${path}\s`, 'gm'),
    // /path/to/electron flags=(unconfined) {
    new RegExp(String.raw`^\s*${path}\s+(?:flags=\([^)]*\)\s*)?\{`, 'gm'),
  ];
  return patterns.flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => match[1].replace(/^"|"$/g, '')),
  );
}

/** AppArmor globbing: `**` crosses directories, `*` and `?` do not; `{a,b}` and `[...]` as usual. */
export function globMatches(glob, path) {
  let pattern = '';
  let braces = 0;
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob[index];
    if (char === '*' && glob[index + 1] === '*') {
      pattern += '.*';
      index += 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else if (char === '{') {
      braces += 1;
      pattern += '(?:';
    } else if (char === '}' && braces > 0) {
      braces -= 1;
      pattern += ')';
    } else if (char === ',' && braces > 0) pattern += '|';
    else if (char === '[' || char === ']') pattern += char;
    else pattern += char.replace(/[.+^$()|\\{}]/g, '\\$&');
  }
  try {
    return new RegExp(`^${pattern}$`).test(path);
  } catch {
    return false;
  }
}

/** The facts `sandboxBlockedByAppArmor` decides on, read from this machine. */
export function readSandboxFacts(electronPath, args, env = process.env) {
  const read = (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  };
  let sandboxHelper = null;
  try {
    const stat = statSync(join(dirname(electronPath), 'chrome-sandbox'));
    sandboxHelper = { uid: stat.uid, mode: stat.mode };
  } catch {
    // missing: Electron has nothing to fall back on either
  }
  let appArmorProfiles = [];
  try {
    appArmorProfiles = readdirSync('/etc/apparmor.d', { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => read(join('/etc/apparmor.d', entry.name)) ?? '');
  } catch {
    // no AppArmor configuration
  }
  return {
    platform: process.platform,
    restrictUnprivilegedUserns:
      read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')?.trim() ?? null,
    sandboxHelper,
    appArmorProfiles,
    electronPath,
    args,
    env,
  };
}

/**
 * The arguments for the headless host in place of the desktop app: its web UI too (`--ui`),
 * since whoever ran `npm start` wanted a window.
 */
export function headlessArguments(args) {
  return args.includes('--ui') ? ['serve', ...args] : ['serve', ...args, '--ui'];
}
