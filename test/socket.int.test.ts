import { execFile } from 'node:child_process';
import { lstat, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerInfo } from '../src-shared/server-info';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * `rolecall serve --socket`, as a user runs it: a real server process, the real keychain, curl
 * over the socket, and the CLI finding the socket through the runtime file.
 */
let ws: Workspace;
let serve: ServeProcess;
let socket: string;
const run = promisify(execFile);

beforeAll(async () => {
  ws = await createWorkspace();
  const dev = await ws.script('dev-creds', credentialScript({ accessKeyId: 'ASIASOCKET' }));
  await ws.writeConfig(`[profile dev]\ncredential_process = ${dev}\n`);
  socket = join(ws.dir, 'rolecall.sock');
  serve = await startServe(ws.env, ['--socket', socket]);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

const rolecall = (...args: string[]) => runCli(args, ws.env);

async function curl(path: string, headers: string[] = []) {
  const { stdout } = await run('curl', [
    '-s',
    '--unix-socket',
    socket,
    '-w',
    '\n%{http_code}',
    ...headers.flatMap((header) => ['-H', header]),
    `http://localhost${path}`,
  ]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

describe('rolecall serve --socket', () => {
  it('says where, names the socket in the runtime file and makes it 0600', async () => {
    expect(serve.stderr()).toContain(`It answers on the Unix socket ${socket} too.`);
    expect(serve.info.socket).toBe(socket);
    const stats = await lstat(socket);
    expect(stats.isSocket()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
  });

  it('serves curl --unix-socket with the bearer token, and refuses it without', async () => {
    expect((await rolecall('load', 'dev')).code).toBe(0);
    const authorization = (await rolecall('token')).stdout.trim();
    expect(authorization).toMatch(/^Bearer .{20,}$/);
    const answer = await curl('/', [`Authorization: ${authorization}`]);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ AccessKeyId: 'ASIASOCKET' });
    expect((await curl('/')).status).toBe(401);
  });

  it('is what the CLI uses when the runtime file names it', async () => {
    // Point the announced TCP address at a port nobody answers on: only the socket works now.
    const file = join(ws.home, 'runtime.json');
    const original = await readFile(file, 'utf8');
    const info = JSON.parse(original) as ServerInfo;
    await writeFile(file, JSON.stringify({ ...info, url: 'http://127.0.0.1:1/', port: 1 }));
    try {
      const helper = await rolecall('credential-process', '--profile', 'dev');
      expect(helper.code, helper.stderr).toBe(0);
      expect(JSON.parse(helper.stdout)).toMatchObject({ Version: 1, AccessKeyId: 'ASIASOCKET' });
      const status = await rolecall('status');
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain(`and the socket ${socket}`);
    } finally {
      await writeFile(file, original);
    }
  });

  it('refuses a second server on the live socket, in a sentence, and keeps the first', async () => {
    const other = await createWorkspace();
    try {
      const second = await runCli(['serve', '--socket', socket], other.env);
      expect(second.code).not.toBe(0);
      expect(second.stderr).toContain(
        `Another program (perhaps another Rolecall) is listening on ${socket}; stop it or choose another --socket path.`,
      );
      expect((await curl('/healthcheck')).status).toBe(200);
    } finally {
      await other.dispose();
    }
  });

  it('refuses a path that is a regular file, and leaves the file', async () => {
    const other = await createWorkspace();
    const file = join(other.dir, 'not-a-socket');
    await writeFile(file, 'keep');
    try {
      const refused = await runCli(['serve', '--socket', file], other.env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`${file} exists and is not a socket`);
      expect(await readFile(file, 'utf8')).toBe('keep');
    } finally {
      await other.dispose();
    }
  });

  it('removes the socket on SIGTERM, and a server killed with SIGKILL leaves one the next replaces', async () => {
    await serve.stop('SIGTERM');
    await expect(lstat(socket)).rejects.toMatchObject({ code: 'ENOENT' });

    serve = await startServe(ws.env, ['--socket', socket, '--socket-mode', '0660']);
    expect((await lstat(socket)).mode & 0o777).toBe(0o660);
    await serve.stop('SIGKILL');
    expect((await lstat(socket)).isSocket()).toBe(true);

    serve = await startServe(ws.env, ['--socket', socket]);
    expect((await curl('/healthcheck')).status).toBe(200);
    expect((await lstat(socket)).mode & 0o777).toBe(0o600);
    await serve.stop('SIGINT');
    await expect(lstat(socket)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('explains options that make no sense together', async () => {
    const noSocket = await rolecall('serve', '--socket-mode', '0660');
    expect(noSocket.code).toBe(2);
    expect(noSocket.stderr).toContain(
      '--socket-mode and --socket-group need --socket <path> (see `rolecall serve --help`).',
    );
    const groupGetsNothing = await rolecall('serve', '--socket', socket, '--socket-group', '0');
    expect(groupGetsNothing.code).toBe(2);
    expect(groupGetsNothing.stderr).toContain(
      '--socket-group 0 gives that group nothing with mode 0600; add --socket-mode 0660 (see',
    );
    const badMode = await rolecall('serve', '--socket', socket, '--socket-mode', '0777x');
    expect(badMode.code).not.toBe(0);
    expect(badMode.stderr).toContain('is not an octal mode');
  });
});
