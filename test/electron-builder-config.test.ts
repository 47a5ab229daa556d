import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, matchesGlob, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';
import config from '../electron-builder.config.mjs';

/**
 * The installers cannot be built here (no Electron binary, no macOS or Windows), so the
 * configuration is checked the way electron-builder checks it before a build — against the JSON
 * schema it ships — and for the things the app needs at run time.
 */
const root = resolve(__dirname, '..');
const builderConfig: Configuration = config;

type Validate = (candidate: unknown) => Promise<void>;
let validate: Validate;

/** electron-builder's own validation, which `electron-builder` runs before every build. */
beforeAll(() => {
  const requireFromBuilder = createRequire(require.resolve('electron-builder'));
  const { validateConfiguration } = requireFromBuilder(
    'app-builder-lib/out/util/config/config.js',
  ) as {
    validateConfiguration(
      config: unknown,
      logger: { isEnabled: boolean; add(): void },
    ): Promise<void>;
  };
  validate = (candidate) =>
    validateConfiguration(candidate, { isEnabled: false, add: () => undefined });
}, 60_000);

describe('the electron-builder configuration', () => {
  // The first validation reads and compiles the schema: seconds on a busy machine.
  it("matches electron-builder's schema", async () => {
    await expect(validate(builderConfig)).resolves.toBeUndefined();
  }, 60_000);

  it('is checked for real: an option electron-builder does not know is refused', async () => {
    await expect(validate({ ...builderConfig, nsis: { perUser: true } })).rejects.toThrow(
      'does not match the API schema',
    );
  });

  it('unpacks the keychain addon from the asar archive, where it could not load', () => {
    const addon = 'node_modules/keytar/build/Release/keytar.node';
    expect(existsSync(join(root, addon))).toBe(true);
    expect(builderConfig.asarUnpack).toBeDefined();
    const patterns = [builderConfig.asarUnpack].flat() as string[];
    expect(patterns.some((pattern) => matchesGlob(addon, pattern))).toBe(true);
  });

  it('builds a dmg and a zip for both Mac architectures, hardened and notarized', () => {
    const mac = builderConfig.mac!;
    expect(mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(mac.hardenedRuntime).toBe(true);
    expect(mac.notarize).toBe(true);
  });

  it('installs per user on Windows and builds an AppImage and a deb on Linux', () => {
    expect(builderConfig.nsis).toMatchObject({ oneClick: true, perMachine: false });
    expect(builderConfig.win!.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(builderConfig.linux!.target).toEqual(['AppImage', 'deb']);
  });

  it('has every icon each platform asks for', () => {
    expect(statSync(join(root, builderConfig.mac!.icon!)).size).toBeGreaterThan(0);
    expect(statSync(join(root, builderConfig.win!.icon!)).size).toBeGreaterThan(0);
    const linuxIcons = readdirSync(join(root, builderConfig.linux!.icon!));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(linuxIcons).toContain(`${size}x${size}.png`);
    }
  });

  it('ships every tray icon the tray loads, the macOS templates too', () => {
    const resources = [builderConfig.extraResources].flat() as Array<{
      from: string;
      to: string;
      filter?: string[];
    }>;
    const shipped = (file: string) =>
      resources.some(
        (entry) =>
          entry.from === 'resources' &&
          (entry.filter ?? ['**/*']).some((pattern) => matchesGlob(file, pattern)),
      );
    for (const state of ['idle', 'ok', 'expiring', 'error']) {
      for (const file of [`tray-${state}.png`, `tray-${state}Template@2x.png`]) {
        expect(existsSync(join(root, 'resources', file)), file).toBe(true);
        expect(shipped(file), file).toBe(true);
      }
    }
    expect(shipped('icon.png')).toBe(true);
  });

  it('ships the rolecall launcher, which needs Electron to run as Node', () => {
    expect(builderConfig.extraResources).toContainEqual({ from: 'resources/bin', to: 'bin' });
    expect(statSync(join(root, 'resources/bin/rolecall')).mode & 0o111).not.toBe(0);
    expect(existsSync(join(root, 'resources/bin/rolecall.cmd'))).toBe(true);
    expect(builderConfig.electronFuses).toMatchObject({ runAsNode: true });
  });

  it('puts the launcher on the PATH from the deb, where the deb installs the app', () => {
    const [link, target] = (builderConfig.deb!.fpm![0] ?? '').split('=');
    expect(target).toBe('/usr/bin/rolecall');
    // electron-builder installs a deb's app in /opt/<productName>, its resources below it.
    expect(readlinkSync(join(root, link!))).toBe(
      `/opt/${builderConfig.productName}/resources/bin/rolecall`,
    );
    // The launcher starts the app's binary by the name the Linux build gives it.
    expect(builderConfig.linux!.executableName).toBe('rolecall-desktop');
  });
});
