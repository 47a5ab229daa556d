// `npm start`: the desktop app where Electron can run, otherwise the same core headless
// (`rolecall serve --ui`, with the window as a web page) — saying which, and why.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  headlessArguments,
  missingDisplay,
  readSandboxFacts,
  sandboxBlockedByAppArmor,
} from './desktop-support.mjs';

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

/** Electron, or why the desktop app cannot start here and what would fix it. */
function desktop() {
  const noDisplay = missingDisplay(process.platform, process.env);
  if (noDisplay) {
    return {
      reason: noDisplay,
      fix: 'Over SSH, forward its port to open the page on your own machine (`ssh -L 4144:127.0.0.1:4144 <host>` for the default port).',
    };
  }
  const electron = findElectron();
  if (!electron.path) return electron;
  return sandboxBlockedByAppArmor(readSandboxFacts(electron.path, args)) ?? electron;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = desktop();
if (electron.path) {
  run(electron.path, [root, ...args]);
} else {
  console.error(
    `The desktop app cannot start here: ${electron.reason}.\n` +
      'Starting the headless host instead (`rolecall serve --ui`): the same core, with the window as a web page at the link it prints below. Stop it with Ctrl-C.\n' +
      (electron.fix ? `${electron.fix}\n` : ''),
  );
  const serve = [join(root, 'out/main/cli.js'), ...headlessArguments(args)];
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
