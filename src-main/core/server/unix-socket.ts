import { chmod, chown, link, lstat, mkdtemp, rm, unlink } from 'node:fs/promises';
import { createConnection, type Server } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { RolecallError } from '../errors';
import { removeStaleFile } from '../runtime/stale-file';

/** Where and how the endpoint also listens on a Unix socket. */
export interface UnixSocketOptions {
  path: string;
  /** Permission bits of the socket file (default 0600: its owner only). */
  mode?: number;
  /** Group id the socket file is given; its group bits in `mode` are what that group may do. */
  gid?: number;
}

export interface UnixSocketListener {
  /** The socket's absolute path. */
  path: string;
  /** Stops accepting connections; those open are closed once idle. */
  stopAccepting(): void;
  /** Closes every connection left, waits for the server to close, then removes the socket file. */
  close(): Promise<void>;
}

export const DEFAULT_SOCKET_MODE = 0o600;
/** macOS allows 104 bytes for a socket path including its NUL (Linux 108); Node truncates silently. */
const MAX_SOCKET_PATH_BYTES = 103;
/** A listener answers a connection at once; one that doesn't within this is busy but alive. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * Listens on a Unix socket at `options.path` with exactly the mode and group given, so that the
 * file is never, even for a moment, more open than asked: the socket is bound inside a new 0700
 * directory beside the path, given its mode and group there, and only then linked into place.
 * link() fails when the path exists, so nothing that appeared meanwhile is replaced. What is at
 * the path already is refused with a sentence — a file that is no socket, a socket someone
 * listens on, another user's socket — except a socket of this user that nobody listens on, which
 * a killed Rolecall left behind: that one is replaced.
 */
export async function listenOnUnixSocket(
  server: Server,
  options: UnixSocketOptions,
): Promise<UnixSocketListener> {
  if (process.platform === 'win32') {
    throw new RolecallError(
      'socket-unsupported',
      'A Unix socket endpoint (--socket) is not available on Windows; use the TCP endpoint.',
      400,
    );
  }
  const path = resolve(options.path);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
    throw new RolecallError(
      'socket-path-too-long',
      `The socket path ${path} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a Unix socket path may have; choose a shorter --socket path.`,
      400,
    );
  }
  // The staging directory's name is short: its socket path must fit the limit too.
  if (Buffer.byteLength(join(dirname(path), '.rcXXXXXX', 's')) > MAX_SOCKET_PATH_BYTES) {
    throw new RolecallError(
      'socket-path-too-long',
      `The directory of the socket path ${path} is too long for a Unix socket; choose a --socket path in a directory with a shorter path.`,
      400,
    );
  }
  const stale = await judgeWhatIsThere(path);
  const staging = await mkdtemp(join(dirname(path), '.rc')).catch(
    (error: NodeJS.ErrnoException) => {
      throw new RolecallError(
        'socket-dir-unwritable',
        `Could not create the socket ${path}: ${error.code === 'ENOENT' ? 'its directory does not exist' : error.message}. Choose a --socket path in a directory you can write to.`,
        400,
        { cause: error },
      );
    },
  );
  const staged = join(staging, 's');
  try {
    await listen(server, staged);
    try {
      if (options.gid !== undefined) await chown(staged, process.getuid!(), options.gid);
      await chmod(staged, options.mode ?? DEFAULT_SOCKET_MODE);
      if (stale) {
        await removeStaleFile(path, stale, async (candidate) => {
          const seen = await lstat(candidate).catch(() => null);
          return seen ? { id: identity(seen) } : null;
        });
      }
      await link(staged, path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') {
          throw new RolecallError(
            'socket-path-taken',
            `Something else created ${path} while Rolecall was starting; remove it or choose another --socket path, then start again.`,
            409,
            { cause: error },
          );
        }
        throw error;
      });
    } catch (error) {
      await new Promise<void>((done) => server.close(() => done()));
      throw error;
    }
  } finally {
    // The server listens on the inode, whatever its names: the staging name goes.
    await rm(staging, { recursive: true, force: true });
  }
  const ours = identity(await lstat(path));
  let closing: Promise<void> | null = null;
  const stopAccepting = () => {
    if (closing) return;
    closing = new Promise((done) => server.close(() => done()));
    (server as Server & { closeIdleConnections?: () => void }).closeIdleConnections?.();
  };
  return {
    path,
    stopAccepting,
    async close() {
      stopAccepting();
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      await closing;
      // Only our own socket: another server may have been given the path since.
      const now = await lstat(path).catch(() => null);
      if (now && identity(now) === ours) await unlink(path).catch(() => undefined);
    },
  };
}

/** Parses a `--socket-mode` value: octal permission bits the owner can use (`0600`, `660`). */
export function parseSocketMode(text: string): number {
  const match = /^(?:0o?)?([0-7]{3})$/.exec(text.trim());
  const mode = match ? parseInt(match[1]!, 8) : NaN;
  if (Number.isNaN(mode) || (mode & 0o600) !== 0o600) {
    throw new RolecallError(
      'socket-mode-invalid',
      `--socket-mode ${JSON.stringify(text)} is not an octal mode that lets its owner read and write, such as 0600 or 0660.`,
      400,
    );
  }
  return mode;
}

/**
 * What is at the path: nothing (null), or a stale socket of this user, to be replaced; anything
 * else is refused.
 */
async function judgeWhatIsThere(path: string): Promise<{ id: string } | null> {
  const found = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new RolecallError(
      'socket-path-unreadable',
      `Could not look at ${path}: ${error.message}. Choose another --socket path.`,
      400,
      { cause: error },
    );
  });
  if (!found) return null;
  if (!found.isSocket()) {
    throw new RolecallError(
      'socket-path-taken',
      `${path} exists and is not a socket; Rolecall will not replace it. Choose another --socket path, or remove that file if it is not needed.`,
      409,
    );
  }
  if (await someoneListens(path)) {
    throw new RolecallError(
      'socket-in-use',
      `Another program (perhaps another Rolecall) is listening on ${path}; stop it or choose another --socket path.`,
      409,
    );
  }
  if (found.uid !== process.getuid!()) {
    throw new RolecallError(
      'socket-path-taken',
      `${path} is a socket of another user (uid ${found.uid}); Rolecall will not replace it. Choose another --socket path.`,
      409,
    );
  }
  return { id: identity(found) };
}

function identity(stats: { dev: number; ino: number }): string {
  return `${stats.dev}:${stats.ino}`;
}

function someoneListens(path: string): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection(path);
    const finish = (listening: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      done(listening);
    };
    const timer = setTimeout(() => finish(true), PROBE_TIMEOUT_MS);
    socket.on('connect', () => finish(true));
    // Refused: a socket file nobody listens on. Anything else (a full backlog, no permission)
    // means something may be there.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'),
    );
  });
}

function listen(server: Server, path: string): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: Error) => fail(error);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      done();
    });
  });
}
