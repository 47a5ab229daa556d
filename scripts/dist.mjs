#!/usr/bin/env node
// `npm run dist`: builds the app, then the installers for this platform with electron-builder
// (arguments are passed on, e.g. `npm run dist -- --linux deb`). electron-builder fetches Electron
// for every platform and architecture it packages; a machine that cannot even fetch Electron's
// binary for itself cannot do that, so the build stops first, with one sentence saying why.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Tests point this at a package without a binary, so they never start a real build.
const electronDir = process.env.ROLECALL_DIST_ELECTRON_DIR ?? join(root, 'node_modules/electron');

/** Electron's npm package records the binary it downloaded in path.txt. */
function electronBinaryInstalled() {
  const pathFile = join(electronDir, 'path.txt');
  return (
    existsSync(pathFile) &&
    existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()))
  );
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  return result.status ?? 1;
}

function main() {
  if (!electronBinaryInstalled()) {
    // npm install skips Electron's download (package.json allowScripts); fetch it now, as
    // `npm start` does, unless told not to.
    const fetched =
      !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD &&
      run(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore' }) === 0 &&
      electronBinaryInstalled();
    if (!fetched) {
      const why = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
        ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set'
        : 'it could not be downloaded';
      console.error(
        `npm run dist needs Electron's binary, which is not here (${why}): build the installers on a machine that can download Electron from github.com.`,
      );
      return 1;
    }
  }
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const shell = process.platform === 'win32';
  const built = run(npx, ['electron-vite', 'build'], { shell });
  if (built !== 0) return built;
  return run(
    npx,
    ['electron-builder', '--config', 'electron-builder.config.mjs', ...process.argv.slice(2)],
    { shell },
  );
}

process.exitCode = main();
