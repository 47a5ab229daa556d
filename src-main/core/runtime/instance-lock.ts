import { chmod, mkdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { RolecallError } from '../errors';
import { takeFileLock } from './file-lock';
import {
  askHolder,
  holderAnswer,
  instanceLockAddress,
  type DefaultSlotSummary,
  type InstanceApp,
  type InstanceHolder,
} from './instance-holder';

export {
  askInstanceHolder,
  instanceLockAddress,
  type DefaultSlotSummary,
  type InstanceApp,
  type InstanceHolder,
} from './instance-holder';

/**
 * One Rolecall per ROLECALL_HOME, whether `rolecall serve` or the desktop app. The one that runs
 * listens on a local socket for its whole life: `<ROLECALL_HOME>/instance.sock` on macOS and
 * Linux, a named pipe named after the home on Windows. Binding is atomic (a second bind fails),
 * the operating system closes the listener however the process ends, and anyone can ask who
 * holds it by connecting: the holder answers with its pid. So there is no window between a check
 * and a write, and a lock left by a killed server (a socket file nobody listens on) is told apart
 * from a live one without trusting a pid that may have been reused.
 */
export interface InstanceLock {
  /** Where the lock listens (a socket path, or a pipe name on Windows). */
  address: string;
  /**
   * From now on, every answer also tells what the default slot holds, read when asked: a shell
   * prompt gets it from the lock it asks anyway, without the keychain or a request. Only this
   * user can connect (the socket is 0600, in the home), and what it tells is no secret. Not on
   * Windows: a named pipe lets every local user read by default, so there the answer stays the pid.
   */
  announceDefaultSlot(read: () => DefaultSlotSummary | null): void;
  /** Tells whoever asks where this Rolecall serves credentials now (null: the server is off). */
  announce(url: string | null): void;
  release(): Promise<void>;
}

const isWindows = process.platform === 'win32';
/** macOS allows 104 bytes for a socket path including its NUL (Linux 108); Node truncates silently. */
const MAX_SOCKET_PATH_BYTES = 103;
/** Another start holds the start guard for milliseconds; ten seconds allows a very busy machine. */
const START_GUARD_WAIT_MS = 10_000;
const START_GUARD_POLL_MS = 20;

/**
 * Takes the lock or throws `already-running` naming the holder's pid. Call it before anything
 * else that touches the home, and release it last.
 */
export async function acquireInstanceLock(
  home: string,
  app: InstanceApp = 'serve',
): Promise<InstanceLock> {
  const address = instanceLockAddress(home);
  if (!isWindows && Buffer.byteLength(address) > MAX_SOCKET_PATH_BYTES) {
    throw new RolecallError(
      'home-path-too-long',
      `ROLECALL_HOME is too long (${resolve(home)}): Rolecall keeps a socket there whose path may have at most ${MAX_SOCKET_PATH_BYTES} bytes. Set ROLECALL_HOME to a shorter directory.`,
      500,
    );
  }
  await mkdir(home, { recursive: true, mode: 0o700 });
  // A pipe on Windows disappears with its process, so only a socket file can be left behind, and
  // only removing one needs the start guard.
  const releaseGuard = isWindows ? async () => {} : await takeStartGuard(home);
  try {
    return await listenOrRefuse(home, address, app);
  } finally {
    await releaseGuard();
  }
}

async function listenOrRefuse(
  home: string,
  address: string,
  app: InstanceApp,
): Promise<InstanceLock> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const said: InstanceHolder & { pid: number } = { pid: process.pid, app };
    // What the default slot holds is told once the holder says how to read it.
    let readDefaultSlot: (() => DefaultSlotSummary | null) | undefined;
    const server = await listenOn(home, address, () => {
      let defaultSlot: DefaultSlotSummary | null | undefined;
      try {
        defaultSlot = readDefaultSlot?.();
      } catch {
        // A holder that cannot read its default slot still says who it is.
      }
      return holderAnswer(defaultSlot === undefined ? said : { ...said, defaultSlot });
    });
    if (server)
      return heldBy(server, address, {
        announceDefaultSlot: (read) => {
          if (!isWindows) readDefaultSlot = read;
        },
        announce: (url) => {
          if (url === null) delete said.url;
          else said.url = url;
        },
      });
    const holder = await askHolder(address);
    if (holder) throw alreadyRunning(home, holder, app);
    // Nobody listens: a Rolecall was killed (kill -9, a crash, a power cut) and left its socket
    // file. Every start holds the start guard here, so no live lock can be removed by mistake.
    if (!isWindows) await rm(address, { force: true });
  }
  throw alreadyRunning(home, (await askHolder(address)) ?? { pid: null }, app);
}

function listenOn(home: string, address: string, answer: () => string): Promise<Server | null> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.end(answer());
    });
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolvePromise(null);
      else {
        reject(
          new RolecallError(
            'instance-lock-failed',
            `Could not create ${address}, which keeps two Rolecalls from sharing ${resolve(home)}: ${error.message}. Set ROLECALL_HOME to a directory on a local disk.`,
            500,
            { cause: error },
          ),
        );
      }
    });
    server.listen(address, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      // The lock is passive: it must not keep a process alive that has nothing else to do.
      server.unref();
      resolvePromise(server);
    });
  });
}

async function heldBy(
  server: Server,
  address: string,
  tell: Pick<InstanceLock, 'announceDefaultSlot' | 'announce'>,
): Promise<InstanceLock> {
  // Only this user needs to ask: the answer (a pid, the default slot) is no secret, but there is
  // no reason to give it away.
  if (!isWindows) await chmod(address, 0o600);
  let released = false;
  return {
    address,
    ...tell,
    release: async () => {
      if (released) return;
      released = true;
      // Closing removes the socket file too.
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}

/**
 * The refusal names the Rolecall in the way and what to do: a desktop app is used rather than
 * doubled (the CLI finds its server), a `rolecall serve` is stopped before the app starts.
 */
function alreadyRunning(home: string, holder: InstanceHolder, wanted: InstanceApp): RolecallError {
  const pid = holder.pid === null ? '' : ` (pid ${holder.pid})`;
  const at = holder.url ? `, serving credentials at ${holder.url}` : '';
  const message =
    holder.app === 'desktop'
      ? `The Rolecall desktop app is already running${pid} with this ROLECALL_HOME (${resolve(home)})${at}. Use it — rolecall env and the other commands talk to it — or quit it (Quit Rolecall in its tray menu) first.`
      : holder.app === 'serve' && wanted === 'desktop'
        ? `rolecall serve is already running${pid} with this ROLECALL_HOME (${resolve(home)})${at}. Stop it (Ctrl-C in its terminal, or its service manager) and start the app again.`
        : `Rolecall is already running${pid} with this ROLECALL_HOME (${resolve(home)}). Stop it first, or give this one its own ROLECALL_HOME.`;
  return new RolecallError('already-running', message, 409);
}

/**
 * Makes "remove a socket file nobody listens on, then listen" one step among starts: without it,
 * two starts finding the same dead socket could each remove it, and the second would remove the
 * first one's new, live lock. The guard is a file created with link(), which fails when it exists,
 * holding the starter's pid; it is held for the milliseconds a start takes the lock.
 */
function takeStartGuard(home: string): Promise<() => Promise<void>> {
  const guard = join(home, 'instance.sock.starting');
  // A guard left by a start killed in those milliseconds is taken over.
  return takeFileLock(guard, {
    waitMs: START_GUARD_WAIT_MS,
    pollMs: START_GUARD_POLL_MS,
    busy: (owner) =>
      new RolecallError(
        'instance-lock-busy',
        `Another Rolecall (pid ${owner}) has been starting with ${resolve(home)} for ${START_GUARD_WAIT_MS / 1000} seconds. If no Rolecall is running, remove ${guard} and start again.`,
        409,
      ),
  });
}
