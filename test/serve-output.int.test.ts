import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/** What `rolecall serve` writes to its stream, and how it stops, as a real process. */
let ws: Workspace;
let serve: ServeProcess | undefined;
beforeEach(async () => {
  ws = await createWorkspace();
  // A setting this version does not know: the server warns about it at start.
  await mkdir(ws.home, { recursive: true });
  await writeFile(join(ws.home, 'settings.json'), JSON.stringify({ fromTheFuture: true }));
});
afterEach(async () => {
  await serve?.stop('SIGKILL');
  serve = undefined;
  await ws.dispose();
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const lines = (text: string) => text.split('\n').filter(Boolean);

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** A request the server logs with --verbose (a wrong token, so nothing secret is answered). */
async function requestWithWrongToken(): Promise<void> {
  const response = await fetch(serve!.info.url, { headers: { authorization: 'Bearer wrong' } });
  expect(response.status).toBe(401);
}

describe('rolecall serve', () => {
  it('stops cleanly on SIGHUP, as when its terminal is closed', async () => {
    serve = await startServe(ws.env);
    expect(await serve.stop('SIGHUP')).toBe(0);
    expect(serve.stderr()).toContain('Received SIGHUP; stopping.\n');
    expect(await exists(join(ws.home, 'runtime.json'))).toBe(false);
    expect(await exists(join(ws.home, 'instance.sock'))).toBe(false);
    expect((await runCli(['status'], ws.env)).stderr).toContain('Rolecall is not running');
  });

  it('writes readable lines by default, and never a JSON one', async () => {
    serve = await startServe(ws.env, ['--verbose']);
    await requestWithWrongToken();
    expect(await serve.stop()).toBe(0);
    const written = lines(serve.stderr());
    expect(written.filter(isJsonObject)).toEqual([]);
    expect(written).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\d\d:\d\d:\d\d WARN {2}.*settings\.json has a setting this version of Rolecall does not know/,
        ),
        `Rolecall ${serve.info.version} is serving credentials at ${serve.info.url} (pid ${serve.info.pid}).`,
        expect.stringMatching(
          /^\d\d:\d\d:\d\d INFO {2}request completed reqId=\S+ res\.statusCode=401 responseTime=/,
        ),
        'Received SIGTERM; stopping.',
      ]),
    );
  });

  it('writes only JSON lines with --log-format json, from the first to the last', async () => {
    serve = await startServe(ws.env, ['--verbose', '--log-format', 'json']);
    await requestWithWrongToken();
    const second = await runCli(['serve', '--log-format', 'json'], ws.env);
    expect(await serve.stop()).toBe(0);

    const written = lines(serve.stderr());
    expect(written.filter((line) => !isJsonObject(line))).toEqual([]);
    const entries = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 40,
          msg: expect.stringContaining('has a setting this version of Rolecall does not know'),
        }),
        expect.objectContaining({
          level: 30,
          url: serve.info.url,
          pid: serve.info.pid,
          msg: `Rolecall ${serve.info.version} is serving credentials at ${serve.info.url} (pid ${serve.info.pid}).`,
        }),
        expect.objectContaining({ msg: 'request completed', res: { statusCode: 401 } }),
        expect.objectContaining({ signal: 'SIGTERM', msg: 'Received SIGTERM; stopping.' }),
      ]),
    );

    // A start that fails says so in the same format, once.
    expect(second.code).toBe(1);
    expect(lines(second.stderr)).toHaveLength(1);
    expect(JSON.parse(second.stderr)).toMatchObject({
      level: 60,
      code: 'already-running',
      msg: expect.stringContaining(`Rolecall is already running (pid ${serve.info.pid})`),
    });
  });
});
