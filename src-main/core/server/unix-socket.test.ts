import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listenOnUnixSocket, parseSocketMode, type UnixSocketListener } from './unix-socket';

let dir: string;
const open: Array<{ server: Server; listener?: UnixSocketListener }> = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-sock-'));
});

afterEach(async () => {
  for (const { server, listener } of open.splice(0)) {
    if (listener) await listener.close();
    else await new Promise((done) => server.close(done));
  }
  await rm(dir, { recursive: true, force: true });
});

/** A server that answers every connection with `name`, so a test can tell who answered. */
function answering(name: string): Server {
  const server = createServer((socket) => {
    // A probe that connects and hangs up at once resets the connection.
    socket.on('error', () => {});
    socket.end(name);
  });
  open.push({ server });
  return server;
}

async function listenAs(name: string, options: Parameters<typeof listenOnUnixSocket>[1]) {
  const server = answering(name);
  const listener = await listenOnUnixSocket(server, options);
  open.find((entry) => entry.server === server)!.listener = listener;
  return listener;
}

function ask(path: string): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    const socket = connect(path);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => done(text));
    socket.on('error', fail);
  });
}

/** A socket file nobody listens on, as a killed process leaves it. */
async function staleSocketAt(path: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(path, done));
  // Closing a server removes its file; a killed process does not. Keep it by a second name.
  await import('node:fs/promises').then(({ link }) => link(path, `${path}.keep`));
  await new Promise((done) => server.close(done));
  await import('node:fs/promises').then(({ rename }) => rename(`${path}.keep`, path));
}

const isRoot = process.getuid?.() === 0;

describe('listenOnUnixSocket', () => {
  it('creates the socket 0600 by default whatever the umask, and answers on it', async () => {
    const previous = process.umask(0);
    try {
      const listener = await listenAs('rolecall', { path: join(dir, 'rc.sock') });
      expect((await lstat(listener.path)).mode & 0o777).toBe(0o600);
      expect(await ask(listener.path)).toBe('rolecall');
    } finally {
      process.umask(previous);
    }
  });

  it('applies the mode given, never opening it wider on the way', async () => {
    const listener = await listenAs('rolecall', { path: join(dir, 'rc.sock'), mode: 0o660 });
    expect((await lstat(listener.path)).mode & 0o777).toBe(0o660);
    // Nothing but the socket is left in its directory (the 0700 staging directory is gone).
    expect(await readdir(dir)).toEqual(['rc.sock']);
  });

  it.skipIf(process.platform === 'win32')('gives the socket the group asked for', async () => {
    const wanted = process.getegid!();
    // Inside a setgid directory of another group a new file would take that group: the socket
    // has ours only because it was given it. Only root may hand a directory to another group.
    const parent = join(dir, 'shared');
    await mkdir(parent);
    const otherGroup = isRoot ? 65534 : wanted;
    await chown(parent, process.getuid!(), otherGroup);
    await chmod(parent, 0o2770);
    const listener = await listenAs('rolecall', {
      path: join(parent, 'rc.sock'),
      mode: 0o660,
      gid: wanted,
    });
    const stats = await lstat(listener.path);
    expect(stats.gid).toBe(wanted);
    if (isRoot) expect(stats.gid).not.toBe(otherGroup);
    expect(stats.mode & 0o777).toBe(0o660);
  });

  it('replaces a stale socket nobody listens on', async () => {
    const path = join(dir, 'rc.sock');
    await staleSocketAt(path);
    expect((await lstat(path)).isSocket()).toBe(true);
    const listener = await listenAs('new', { path });
    expect(await ask(listener.path)).toBe('new');
  });

  it('refuses a socket someone listens on, and leaves it working', async () => {
    const path = join(dir, 'rc.sock');
    await listenAs('first', { path });
    await expect(listenAs('second', { path })).rejects.toThrow(
      `Another program (perhaps another Rolecall) is listening on ${path}; stop it or choose another --socket path.`,
    );
    expect(await ask(path)).toBe('first');
  });

  it('refuses a regular file and keeps it', async () => {
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'keep me');
    await expect(listenAs('rolecall', { path })).rejects.toThrow(
      `${path} exists and is not a socket; Rolecall will not replace it. Choose another --socket path, or remove that file if it is not needed.`,
    );
    expect((await lstat(path)).isFile()).toBe(true);
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('says so when the directory does not exist', async () => {
    const path = join(dir, 'missing', 'rc.sock');
    await expect(listenAs('rolecall', { path })).rejects.toThrow(
      `Could not create the socket ${path}: its directory does not exist. Choose a --socket path in a directory you can write to.`,
    );
  });

  it('removes its socket file on close, but not one that replaced it', async () => {
    const path = join(dir, 'rc.sock');
    const listener = await listenAs('rolecall', { path });
    await listener.close();
    await expect(lstat(path)).rejects.toMatchObject({ code: 'ENOENT' });

    const again = await listenAs('again', { path });
    // Someone moves the socket away and another takes its place: closing leaves that one.
    await import('node:fs/promises').then(({ rename }) => rename(path, `${path}.moved`));
    const other = await listenAs('other', { path });
    await again.close();
    expect(await ask(other.path)).toBe('other');
  });
});

describe('parseSocketMode', () => {
  it.each([
    ['0600', 0o600],
    ['600', 0o600],
    ['0660', 0o660],
    ['0o660', 0o660],
  ])('reads %s', (text, mode) => expect(parseSocketMode(text)).toBe(mode));

  it.each(['0400', '0060', '777x', '-1', '', '1000', 'rw'])('refuses %j in a sentence', (text) => {
    expect(() => parseSocketMode(text)).toThrow(
      `--socket-mode ${JSON.stringify(text)} is not an octal mode that lets its owner read and write, such as 0600 or 0660.`,
    );
  });
});
