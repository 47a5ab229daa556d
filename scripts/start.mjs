// `npm start`: the desktop app where Electron can run, otherwise the same core headless
// (`rolecall serve`) — saying which, and why.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** Path of the Electron binary, or null with the reason it can't be used. */
function findElectron() {
  try {
    return { path: require('electron') };
  } catch {
    // Electron's own installer is not run by `npm install` (so installs never fail offline);
    // fetch the binary now, once.
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      return {
        reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so the Electron binary was not downloaded',
      };
    }
    console.error('Downloading the Electron binary (first start only)...');
    const install = spawnSync(process.execPath, [require.resolve('electron/install.js')], {
      stdio: 'inherit',
    });
    if (install.status !== 0) {
      return {
        reason:
          'the Electron binary could not be downloaded (no network access to its release host?)',
      };
    }
    try {
      return { path: require('electron') };
    } catch (error) {
      return { reason: `Electron is not usable: ${error.message}` };
    }
  }
}

function desktopUnavailable() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  }
  return null;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const noDisplay = desktopUnavailable();
const electron = noDisplay ? { reason: noDisplay } : findElectron();
if (electron.path) {
  run(electron.path, [root, ...args]);
} else {
  console.error(
    `The desktop app cannot start here: ${electron.reason}.\n` +
      'Starting the headless host instead (`rolecall serve`); it runs the same core. Stop it with Ctrl-C.\n',
  );
  const serve = [join(root, 'out/main/cli.js'), 'serve', ...args];
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    // No desktop session, so no Secret Service to keep the token and credentials in. Rather than
    // fail, run with a private keyring that lives as long as this process — and say so.
    console.error(
      'No D-Bus session (and so no keychain) was found. Starting a private keyring for this run;\n' +
        'secrets in it end with it. For a lasting setup run Rolecall in a desktop session, or see README.\n',
    );
    process.env.ROLECALL_ANNOUNCE_KEYRING = '1';
    run(process.execPath, [join(root, 'scripts/with-keyring.mjs'), process.execPath, ...serve]);
  } else {
    run(process.execPath, serve);
  }
}
