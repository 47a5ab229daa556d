import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pretendPlatform } from './testing/platform';

const { fake } = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('./testing/fake-electron');
  return { fake: createFakeElectron() };
});
vi.mock('electron', () => fake.module);

let restorePlatform: (() => void) | null = null;
beforeEach(() => {
  fake.reset();
  fake.state.appPath = 'C:\\Users\\dev\\src\\rolecall';
});
afterEach(() => {
  restorePlatform?.();
  restorePlatform = null;
});

async function loginItemOn(platform: NodeJS.Platform) {
  restorePlatform = pretendPlatform(platform);
  const { desktopLoginItem } = await import('./login-item');
  return desktopLoginItem();
}

describe('start at login on Windows', () => {
  it('starts Electron with the app, quoted, when run from a clone', async () => {
    const item = await loginItemOn('win32');
    await item.setEnabled(true);
    expect(fake.state.loginItem).toEqual({
      path: process.execPath,
      args: ['"C:\\Users\\dev\\src\\rolecall"', '--hidden'],
      openAtLogin: true,
    });
    // Windows finds the entry only when asked with the same path and args.
    expect(await item.isEnabled()).toBe(true);
    await item.setEnabled(false);
    expect(await item.isEnabled()).toBe(false);
  });

  it('starts the installed executable with --hidden alone', async () => {
    fake.state.isPackaged = true;
    const item = await loginItemOn('win32');
    await item.setEnabled(true);
    expect(fake.state.loginItem).toEqual({
      path: process.execPath,
      args: ['--hidden'],
      openAtLogin: true,
    });
    expect(await item.isEnabled()).toBe(true);
  });
});

describe('start at login on macOS', () => {
  it('registers the installed app bundle, with no Windows-only path or args', async () => {
    fake.state.isPackaged = true;
    const item = await loginItemOn('darwin');
    await item.setEnabled(true);
    expect(fake.state.loginItem).toEqual({ openAtLogin: true });
    expect(await item.isEnabled()).toBe(true);
  });

  it('refuses, in words, to register Electron itself when run from a clone; turning off works', async () => {
    const item = await loginItemOn('darwin');
    await expect(item.setEnabled(true)).rejects.toThrow(
      'On macOS only the installed Rolecall app can start at login',
    );
    expect(fake.state.loginItem).toBeNull();
    await item.setEnabled(false);
    expect(fake.state.loginItem).toEqual({ openAtLogin: false });
  });
});

describe('start at login on Linux', () => {
  let configHome: string;
  beforeEach(async () => {
    configHome = await mkdtemp(join(tmpdir(), 'rolecall-xdg-'));
    vi.stubEnv('XDG_CONFIG_HOME', configHome);
    vi.stubEnv('APPIMAGE', '');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(configHome, { recursive: true, force: true });
  });

  it('writes an autostart entry that starts Electron with the app when run from a clone', async () => {
    fake.state.appPath = '/home/dev/src/rolecall';
    const item = await loginItemOn('linux');
    await item.setEnabled(true);
    const entry = await readFile(join(configHome, 'autostart', 'rolecall.desktop'), 'utf8');
    expect(entry).toContain(`Exec=${process.execPath} /home/dev/src/rolecall --hidden`);
  });
});
