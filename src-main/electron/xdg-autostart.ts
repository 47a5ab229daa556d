import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LoginItem } from '../core/settings/settings-service';

/**
 * Start at login on Linux desktops: an XDG autostart entry (GNOME, KDE, Xfce and others read
 * `$XDG_CONFIG_HOME/autostart/*.desktop`). Electron's own login-item API covers only macOS and
 * Windows.
 */
export function createXdgLoginItem(options: {
  configHome: string;
  /** The program and its arguments, unquoted. */
  command: string[];
}): LoginItem {
  const path = join(options.configHome, 'autostart', 'rolecall.desktop');
  return {
    async isEnabled() {
      try {
        // A desktop that hides an entry instead of deleting it marks it Hidden=true.
        return !/^Hidden\s*=\s*true\s*$/m.test(await readFile(path, 'utf8'));
      } catch {
        return false;
      }
    },
    async setEnabled(enabled) {
      if (!enabled) {
        await rm(path, { force: true });
        return;
      }
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, autostartEntry(options.command));
    },
  };
}

export function autostartEntry(command: string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Rolecall',
    'Comment=AWS credentials, renewed in the background',
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Quotes one Exec argument by the Desktop Entry rules: inside double quotes, `"`, `` ` ``, `$`
 * and `\` take a backslash; the value is then a desktop-file string, whose own escaping doubles
 * every backslash again; `%` starts a field code, so a literal one is `%%`.
 */
export function execArgument(argument: string): string {
  const plain = /^[A-Za-z0-9_@%+=:,./-]+$/.test(argument);
  const quoted = plain ? argument : `"${argument.replace(/["`$\\]/g, (char) => `\\${char}`)}"`;
  return quoted.replaceAll('\\', '\\\\').replaceAll('%', '%%');
}
