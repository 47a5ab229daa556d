#!/usr/bin/env node
// Runs a command with a working Secret Service (the Linux keychain Rolecall keeps secrets in).
//
//   node scripts/with-keyring.mjs <command> [args...]
//
// If a Secret Service already runs on the session bus, the command simply runs. Otherwise (CI, a
// container, an SSH session) this re-runs itself inside `dbus-run-session` with a private bus,
// starts an unlocked gnome-keyring whose files live in a throwaway directory — never the user's
// real keyrings — runs the command there, and removes everything afterwards. The exit code (or
// signal) is the command's.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
// Only unlocks the throwaway keyring of this run; it protects nothing real.
const PRIVATE_KEYRING_PASSWORD = 'rolecall-private-keyring';
// gnome-keyring is up in well under a second; ten allows for a loaded CI machine.
const KEYRING_READY_TIMEOUT_MS = 10_000;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function fail(message) {
  console.error(`with-keyring: ${message}`);
  process.exit(1);
}

function dbusSend(dest, path, method, ...args) {
  const reply = spawnSync(
    'dbus-send',
    ['--session', '--print-reply', `--dest=${dest}`, path, method, ...args],
    {
      encoding: 'utf8',
      timeout: 5000,
    },
  );
  return reply.status === 0 ? reply.stdout : '';
}

/**
 * Whether a Secret Service is running on the session bus. Asks the bus (NameHasOwner) instead of
 * calling org.freedesktop.secrets, because a call would make D-Bus *start* gnome-keyring for us,
 * with the real HOME.
 */
function secretServiceRunning() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) return false;
  const reply = dbusSend(
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.NameHasOwner',
    'string:org.freedesktop.secrets',
  );
  return reply.includes('boolean true');
}

/** Whether the private keyring answers and has a default collection for keytar to write into. */
function privateKeyringReady() {
  const reply = dbusSend(
    'org.freedesktop.secrets',
    '/org/freedesktop/secrets',
    'org.freedesktop.Secret.Service.ReadAlias',
    'string:default',
  );
  return reply.includes('/org/freedesktop/secrets/collection/');
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs a command with inherited stdio and resolves with how it ended. Our signals go to the pid
 * that `target` names (the command itself by default).
 */
function run(command, args, { detached = false, target = (child) => child.pid } = {}) {
  const child = spawn(command, args, { stdio: 'inherit', detached });
  const forward = (signal) => {
    try {
      process.kill(target(child), signal);
    } catch {
      // Already gone: its exit is on the way.
    }
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ error }));
    child.on('exit', (code, signal) => {
      for (const name of FORWARDED_SIGNALS) process.off(name, forward);
      resolve({ code, signal, pid: child.pid });
    });
  });
}

/** Ends this process the way the command ended: same exit code, or killed by the same signal. */
function exitLike({ code, signal, error }, command) {
  if (error) fail(`could not run ${command}: ${error.message}`);
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 128 + (constants.signals[signal] ?? 1));
}

/** A session bus that can start nothing on demand, so no second, real-HOME keyring can appear. */
function busConfig(directory) {
  const escaped = directory.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${escaped}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

/** Outside: make the throwaway directory and private bus, re-run ourselves inside, clean up. */
async function outside(command, args) {
  for (const [binary, pkg] of [
    ['dbus-run-session', 'dbus'],
    ['dbus-send', 'dbus'],
    ['gnome-keyring-daemon', 'gnome-keyring'],
  ]) {
    if (!hasCommand(binary))
      fail(
        `no Secret Service is running and ${binary} is missing to start a private one; install the Debian package "${pkg}" (apt-get install dbus gnome-keyring).`,
      );
  }
  const directory = mkdtempSync(join(tmpdir(), 'rolecall-keyring-'));
  const config = join(directory, 'bus.conf');
  writeFileSync(config, busConfig(directory));
  // dbus-run-session passes no signals on (it dies and orphans the command and the bus), so it runs
  // in a process group of its own — a Ctrl-C reaches only us — and we hand each signal to the inner
  // copy of this script, which passes it to the command and waits for it. Before the inner copy has
  // written its pid, a signal ends the whole group.
  const innerPid = (child) => {
    let pid = NaN;
    try {
      pid = Number(readFileSync(join(directory, 'inner.pid'), 'utf8'));
    } catch {
      // Not written yet.
    }
    return Number.isInteger(pid) && pid > 0 ? pid : -child.pid;
  };
  const result = await run(
    'dbus-run-session',
    [
      `--config-file=${config}`,
      '--',
      process.execPath,
      self,
      '--inside',
      directory,
      command,
      ...args,
    ],
    { detached: true, target: innerPid },
  );
  try {
    // Whatever is left of the private session (a keyring daemon, a leaked background process of
    // the command) has lost its bus; don't leave it behind.
    if (result.pid) process.kill(-result.pid, 'SIGTERM');
  } catch {
    // Nothing left.
  }
  rmSync(directory, { recursive: true, force: true });
  exitLike(result, 'dbus-run-session');
}

/** Inside the private bus: start an unlocked gnome-keyring, wait for it, run the command. */
async function inside(directory, command, args) {
  // Written whole and then renamed, so the outer copy never reads half a pid.
  writeFileSync(join(directory, 'inner.pid.tmp'), String(process.pid));
  renameSync(join(directory, 'inner.pid.tmp'), join(directory, 'inner.pid'));
  const home = join(directory, 'home');
  const runtime = join(directory, 'run');
  mkdirSync(runtime, { mode: 0o700, recursive: true });
  // --unlock reads the password on stdin and creates the "login" keyring (the default) with it.
  const daemon = spawn(
    'gnome-keyring-daemon',
    ['--foreground', '--unlock', '--components=secrets'],
    {
      env: {
        ...process.env,
        HOME: home,
        XDG_DATA_HOME: join(home, '.local/share'),
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_CACHE_HOME: join(home, '.cache'),
        XDG_RUNTIME_DIR: runtime,
      },
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let daemonLog = '';
  // Keep reading, or a chatty daemon would block on a full pipe; show it only if something breaks.
  daemon.stderr.on('data', (chunk) => (daemonLog = (daemonLog + chunk).slice(-4000)));
  let daemonEnded = false;
  const daemonExit = new Promise((resolve) => daemon.on('exit', resolve)).then(
    () => (daemonEnded = true),
  );
  daemon.on('error', (error) => fail(`could not start gnome-keyring-daemon: ${error.message}`));
  daemon.stdin.end(PRIVATE_KEYRING_PASSWORD);

  const deadline = Date.now() + KEYRING_READY_TIMEOUT_MS;
  while (!privateKeyringReady()) {
    if (daemonEnded) fail(`gnome-keyring-daemon exited while starting:\n${daemonLog}`);
    if (Date.now() > deadline)
      fail(
        `the private keyring did not come up within ${KEYRING_READY_TIMEOUT_MS / 1000} s:\n${daemonLog}`,
      );
    await sleep(100);
  }
  if (process.env.ROLECALL_ANNOUNCE_KEYRING) {
    console.error(
      `Other shells reach this private keyring (and so Rolecall's token) after:\n  export DBUS_SESSION_BUS_ADDRESS='${process.env.DBUS_SESSION_BUS_ADDRESS}'\n`,
    );
  }
  const result = await run(command, args);
  // Let the daemon finish before the bus goes away; it needs far less than the two seconds.
  daemon.kill('SIGTERM');
  await Promise.race([daemonExit, sleep(2000, undefined, { ref: false })]);
  exitLike(result, command);
}

const argv = process.argv.slice(2);
if (argv[0] === '--inside') {
  const [, directory, command, ...args] = argv;
  await inside(directory, command, args);
} else {
  const [command, ...args] = argv;
  if (!command) fail('usage: node scripts/with-keyring.mjs <command> [args...]');
  if (process.platform !== 'linux' || secretServiceRunning())
    exitLike(await run(command, args), command);
  else await outside(command, args);
}
