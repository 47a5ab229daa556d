#!/usr/bin/env node
// Runs a command with a working Secret Service (the Linux keychain Rolecall keeps secrets in).
//
//   node scripts/with-keyring.mjs <command> [args...]
//
// If the session bus already has a Secret Service, the command simply runs. Otherwise (CI, a
// container, an SSH session) it starts a private D-Bus session with `dbus-run-session` and an
// unlocked gnome-keyring in a throwaway directory — never the user's real keyrings — runs the
// command there, and removes everything afterwards. The exit code is the command's.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);

function fail(message) {
  console.error(`with-keyring: ${message}`);
  process.exit(1);
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Whether something answers as org.freedesktop.secrets on the current session bus. */
function secretServiceAnswers() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS || !hasCommand('dbus-send')) return false;
  const ping = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.secrets',
      '/org/freedesktop/secrets',
      'org.freedesktop.DBus.Peer.Ping',
    ],
    { stdio: 'ignore', timeout: 5000 },
  );
  return ping.status === 0;
}

/** Runs the command with inherited stdio, forwarding signals, and exits with its code. */
function runAndExit(command, args, onExit = () => {}) {
  const child = spawn(command, args, { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    onExit();
    fail(`could not run ${command}: ${error.message}`);
  });
  child.on('exit', (code, signal) => {
    onExit();
    process.exit(code ?? (signal ? 128 + 1 : 1));
  });
}

/** Inside the private session: start an unlocked keyring, wait for it, run the command. */
function inside(directory, command, args) {
  const runtime = join(directory, 'run');
  mkdirSync(runtime, { mode: 0o700, recursive: true });
  const daemonEnv = {
    ...process.env,
    HOME: directory,
    XDG_DATA_HOME: join(directory, 'share'),
    XDG_CONFIG_HOME: join(directory, 'config'),
    XDG_RUNTIME_DIR: runtime,
  };
  // The password only unlocks this throwaway keyring; it protects nothing real.
  const daemon = spawnSync(
    'gnome-keyring-daemon',
    ['--unlock', '--components=secrets', '--daemonize'],
    {
      env: daemonEnv,
      input: 'rolecall-private-keyring',
      encoding: 'utf8',
      timeout: 15_000,
    },
  );
  if (daemon.status !== 0)
    fail(`gnome-keyring-daemon failed: ${daemon.stderr || daemon.error?.message || daemon.status}`);
  const deadline = Date.now() + 10_000;
  while (!secretServiceAnswers()) {
    if (Date.now() > deadline)
      fail('the private keyring did not come up on the session bus within 10 s');
    spawnSync('sleep', ['0.1']);
  }
  if (process.env.ROLECALL_ANNOUNCE_KEYRING) {
    console.error(
      `Other shells reach this private keyring (and so Rolecall's token) after:\n  export DBUS_SESSION_BUS_ADDRESS='${process.env.DBUS_SESSION_BUS_ADDRESS}'\n`,
    );
  }
  runAndExit(command, args);
}

if (argv[0] === '--inside') {
  const [, directory, command, ...args] = argv;
  inside(directory, command, args);
} else {
  const [command, ...args] = argv;
  if (!command) fail('usage: node scripts/with-keyring.mjs <command> [args...]');
  if (process.platform !== 'linux' || secretServiceAnswers()) {
    runAndExit(command, args);
  } else {
    for (const [binary, pkg] of [
      ['dbus-run-session', 'dbus'],
      ['dbus-send', 'dbus'],
      ['gnome-keyring-daemon', 'gnome-keyring'],
    ]) {
      if (!hasCommand(binary))
        fail(`${binary} is missing; install the Debian package "${pkg}" (apt-get install ${pkg}).`);
    }
    const directory = mkdtempSync(join(tmpdir(), 'rolecall-keyring-'));
    runAndExit(
      'dbus-run-session',
      ['--', process.execPath, self, '--inside', directory, command, ...args],
      () => rmSync(directory, { recursive: true, force: true }),
    );
  }
}
