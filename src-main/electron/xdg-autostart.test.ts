import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartEntry, createXdgLoginItem, execArgument } from './xdg-autostart';

let configHome: string;
beforeEach(async () => {
  configHome = await mkdtemp(join(tmpdir(), 'rolecall-autostart-'));
});
afterEach(async () => {
  await rm(configHome, { recursive: true, force: true });
});

describe('XDG autostart', () => {
  it('adds and removes the entry', async () => {
    const item = createXdgLoginItem({
      configHome,
      command: ['/opt/Rolecall/rolecall', '--hidden'],
    });
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    expect(await item.isEnabled()).toBe(true);
    const entry = await readFile(join(configHome, 'autostart', 'rolecall.desktop'), 'utf8');
    expect(entry).toContain('\nExec=/opt/Rolecall/rolecall --hidden\n');
    await item.setEnabled(false);
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(false);
  });

  it('counts an entry the desktop hid as off', async () => {
    const item = createXdgLoginItem({ configHome, command: ['/usr/bin/rolecall'] });
    await item.setEnabled(true);
    const path = join(configHome, 'autostart', 'rolecall.desktop');
    await writeFile(path, `${await readFile(path, 'utf8')}Hidden=true\n`);
    expect(await item.isEnabled()).toBe(false);
  });

  it('quotes paths with spaces, dollars, quotes, backslashes and percent signs', () => {
    expect(execArgument('/home/a b/Rolecall.AppImage')).toBe('"/home/a b/Rolecall.AppImage"');
    expect(execArgument('/tmp/$HOME')).toBe('"/tmp/\\\\$HOME"');
    expect(execArgument('say "hi"')).toBe('"say \\\\"hi\\\\""');
    expect(execArgument('C:\\x')).toBe('"C:\\\\\\\\x"');
    expect(execArgument('100%')).toBe('100%%');
    expect(autostartEntry(['/a b', '--hidden'])).toContain('Exec="/a b" --hidden\n');
  });
});
