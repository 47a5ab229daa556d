import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * Crash safety with real processes: `kill -9` a loaded server, start it again, and the slots are
 * back — served from the keychain without re-running the source while the credentials are valid.
 */
let ws: Workspace | undefined;
let servers: ServeProcess[] = [];

afterEach(async () => {
  for (const server of servers) await server.stop('SIGKILL');
  servers = [];
  if (ws) await runCli(['unload', '--all'], ws.env).catch(() => undefined);
  await ws?.dispose();
  ws = undefined;
});

async function start(workspace: Workspace): Promise<ServeProcess> {
  const server = await startServe(workspace.env);
  servers.push(server);
  return server;
}

async function runs(script: string): Promise<number> {
  return Number(await readFile(`${script}.count`, 'utf8'));
}

async function getCredentials(server: ServeProcess, token: string, path = '') {
  const response = await fetch(new URL(path, server.info.url), {
    headers: { authorization: token },
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('restart after kill -9', () => {
  it('serves the loaded slots at once without re-running their sources', async () => {
    ws = await createWorkspace();
    const dev = await ws.script('dev', credentialScript({ accessKeyId: 'ASIADEV', minutes: 60 }));
    const prod = await ws.script(
      'prod',
      credentialScript({ accessKeyId: 'ASIAPROD', minutes: 60 }),
    );
    await ws.writeConfig(
      `[profile dev]\ncredential_process = ${dev}\n[profile prod]\ncredential_process = ${prod}\n`,
    );
    const first = await start(ws);
    expect((await runCli(['load', 'dev'], ws.env)).code).toBe(0);
    expect((await runCli(['load', 'prod', '--slot'], ws.env)).code).toBe(0);
    const token = (await runCli(['token'], ws.env)).stdout.trim();
    const before = await getCredentials(first, token);

    // Persistence is written right after each change; give the keychain a moment, then crash.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await first.stop('SIGKILL');

    const second = await start(ws);
    const after = await getCredentials(second, token);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    const slot = await getCredentials(second, token, 'slot/prod');
    expect(slot.body.AccessKeyId).toBe('ASIAPROD');
    expect(await runs(dev)).toBe(1);
    expect(await runs(prod)).toBe(1);
    const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout);
    expect(status).toMatchObject({ defaultProfile: 'dev', slots: ['prod'] });
    expect(status.entries.map((entry: { state: string }) => entry.state)).toEqual([
      'fresh',
      'fresh',
    ]);
  });

  it('renews expired credentials before serving them after a restart', async () => {
    ws = await createWorkspace();
    // Three-second credentials: they die while the server is down.
    const dev = await ws.script('dev', credentialScript({ accessKeyId: 'ASIADEV', minutes: 0.05 }));
    await ws.writeConfig(`[profile dev]\ncredential_process = ${dev}\n`);
    const first = await start(ws);
    expect((await runCli(['load', 'dev'], ws.env)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.stop('SIGKILL');
    const runsBefore = await runs(dev);
    await new Promise((resolve) => setTimeout(resolve, 3500));

    const second = await start(ws);
    const token = (await runCli(['token'], ws.env)).stdout.trim();
    const answer = await getCredentials(second, token);
    expect(answer.status).toBe(200);
    expect(Date.parse(answer.body.Expiration!)).toBeGreaterThan(Date.now());
    expect(await runs(dev)).toBeGreaterThan(runsBefore);
  });

  it('starts with empty slots and a warning when the layout file is corrupt', async () => {
    ws = await createWorkspace();
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(ws.home, { recursive: true, mode: 0o700 });
    await writeFile(`${ws.home}/layout.json`, '{ not json');
    const server = await start(ws);
    const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout);
    expect(status).toMatchObject({ defaultProfile: null, slots: [] });
    expect(server.stderr()).toContain('layout.json: it is not valid JSON. Slots start empty.');
  });

  it('starts, with a warning, over a corrupt runtime file and a corrupt settings file', async () => {
    ws = await createWorkspace();
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(ws.home, { recursive: true, mode: 0o700 });
    await writeFile(`${ws.home}/runtime.json`, '\u0000\u0000garbage');
    await writeFile(`${ws.home}/settings.json`, '{"refresh": {"minRemainingMinutes": "soon"}}');
    const server = await start(ws);
    expect(server.stderr()).toContain(
      'settings.json has settings Rolecall does not accept (refresh.minRemainingMinutes',
    );
    expect(server.stderr()).toContain('using default settings until it is fixed.');
    const token = (await runCli(['token'], ws.env)).stdout.trim();
    expect((await getCredentials(server, token)).status).toBe(404);
    // The broken settings file is left for the user to fix, not overwritten.
    expect(await readFile(`${ws.home}/settings.json`, 'utf8')).toContain('"soon"');
  });

  it('loses nothing and duplicates nothing when killed in the middle of a renewal', async () => {
    ws = await createWorkspace();
    // One-hour credentials; every run after the first takes 3 s.
    const script = await ws.script(
      'slow',
      `#!/usr/bin/env node
const fs = require('fs');
const count = __filename + '.count', running = __filename + '.running';
const n = Number(fs.existsSync(count) ? fs.readFileSync(count, 'utf8') : 0) + 1;
fs.writeFileSync(count, String(n));
fs.writeFileSync(running, String(n));
setTimeout(() => {
  fs.rmSync(running, { force: true });
  process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'ASIASLOW' + n, SecretAccessKey: 's',
    SessionToken: 't', Expiration: new Date(Date.now() + 3600000).toISOString() }));
}, n === 1 ? 0 : 3000);
`,
    );
    await ws.writeConfig(`[profile slow]\ncredential_process = ${script}\n`);
    const first = await start(ws);
    expect((await runCli(['load', 'slow', '--slot'], ws.env)).code).toBe(0);
    const token = (await runCli(['token'], ws.env)).stdout.trim();
    expect((await getCredentials(first, token, 'slot/slow')).body.AccessKeyId).toBe('ASIASLOW1');

    // Renew (an explicit reload), and kill the server while the source is still running.
    const reload = runCli(['load', 'slow', '--slot'], ws.env);
    const { access } = await import('node:fs/promises');
    const deadline = Date.now() + 10_000;
    while (
      !(await access(`${script}.running`).then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('the renewal never started');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await first.stop('SIGKILL');
    expect((await reload).code).toBe(1);

    const second = await start(ws);
    // The slot is back at once, with what was held before the crash; nothing ran again.
    const served = await getCredentials(second, token, 'slot/slow');
    expect(served.status).toBe(200);
    expect(served.body.AccessKeyId).toBe('ASIASLOW1');
    const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout) as {
      slots: string[];
      entries: Array<{ profile: string; state: string }>;
    };
    expect(status.slots).toEqual(['slow']);
    expect(status.entries).toEqual([expect.objectContaining({ profile: 'slow', state: 'fresh' })]);
    expect(await runs(script)).toBe(2);

    // And it renews normally afterwards.
    expect((await runCli(['load', 'slow', '--slot'], ws.env)).code).toBe(0);
    expect((await getCredentials(second, token, 'slot/slow')).body.AccessKeyId).toBe('ASIASLOW3');
  }, 40_000);
});
