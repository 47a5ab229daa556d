import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../src-shared/snapshot';
import {
  CLI,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * Loads as a user lives them, with real processes: Ctrl-C on a waiting `rolecall load`, an unload
 * while a load waits, two terminals loading the same profile, and a ROLECALL_HOME where the slots
 * cannot be saved.
 */
let ws: Workspace;
let serve: ServeProcess;
let slowScript: string;

/**
 * A credential_process that counts its runs and notes its pid, then waits until the test
 * releases it (a file appears) before it answers.
 */
const slowSource = `#!/usr/bin/env node
const fs = require('fs');
fs.appendFileSync(__filename + '.count', 'x');
fs.writeFileSync(__filename + '.pid', String(process.pid));
const waiting = setInterval(() => {
  if (!fs.existsSync(__filename + '.release')) return;
  clearInterval(waiting);
  process.stdout.write(JSON.stringify({
    Version: 1,
    AccessKeyId: 'ASIASLOW',
    SecretAccessKey: 'slow-secret',
    SessionToken: 'slow-token',
    Expiration: new Date(Date.now() + 3600000).toISOString(),
  }));
}, 50);
`;

/** Each test runs the CLI several times; on a busy machine each run takes seconds. */
const CLI_HEAVY_TIMEOUT_MS = 120_000;
/** How long to wait for the server to show something, polling with `rolecall status`. */
const SHOWN_WITHIN = { timeout: 30_000, interval: 200 };

beforeAll(async () => {
  ws = await createWorkspace();
  const fast = await ws.script('fast-creds', credentialScript({ accessKeyId: 'ASIAFAST' }));
  slowScript = await ws.script('slow-creds', slowSource);
  await ws.writeConfig(
    [
      '[profile fast]',
      `credential_process = ${fast}`,
      '[profile slow]',
      `credential_process = ${slowScript}`,
      '',
    ].join('\n'),
  );
  serve = await startServe(ws.env);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

async function snapshot(): Promise<Snapshot> {
  const result = await runCli(['status', '--json'], ws.env);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

/** `rolecall load …` started in the background, to be interrupted or raced. */
function startLoad(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'load', ...args], {
    env: ws.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<CliResult>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: '', stderr })),
  );
  return { child, ended };
}

async function resetSlowSource(): Promise<void> {
  for (const suffix of ['.count', '.pid', '.release'])
    await rm(`${slowScript}${suffix}`, { force: true });
}

async function runsOfSlowSource(): Promise<number> {
  return (await readFile(`${slowScript}.count`, 'utf8').catch(() => '')).length;
}

/** Whether the slow source's last run is still running. */
async function slowSourceRunning(): Promise<boolean> {
  const pid = Number(await readFile(`${slowScript}.pid`, 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const releaseSlowSource = () => writeFile(`${slowScript}.release`, '');

describe('loads in flight', () => {
  it('shows a waiting load in status; Ctrl-C cancels it and stops its source', async () => {
    await resetSlowSource();
    const load = startLoad(['slow', '--slot']);
    await expect
      .poll(async () => (await snapshot()).loading, SHOWN_WITHIN)
      .toEqual([{ profile: 'slow', slot: 'named', startedAt: expect.any(String) }]);
    await expect.poll(runsOfSlowSource, SHOWN_WITHIN).toBe(1);
    const status = await runCli(['status'], ws.env);
    expect(status.stdout).toMatch(/^\/slot\/slow\s+slow\s+loading for \d+s/m);

    load.child.kill('SIGINT');
    const ended = await load.ended;
    expect(ended).toMatchObject({ code: 130, stderr: 'rolecall: Cancelled loading slow.\n' });

    await expect.poll(async () => (await snapshot()).loading, SHOWN_WITHIN).toBeUndefined();
    // Nothing waits for the source any more, so it was stopped, and nothing was served.
    await expect.poll(slowSourceRunning, SHOWN_WITHIN).toBe(false);
    expect(await snapshot()).toMatchObject({ slots: [], entries: [] });
  });

  it('lets an unload during a load win, and the load says so', async () => {
    await resetSlowSource();
    const load = startLoad(['slow', '--slot']);
    await expect.poll(async () => (await snapshot()).loading?.length, SHOWN_WITHIN).toBe(1);

    const unload = await runCli(['unload', 'slow'], ws.env);
    expect(unload).toMatchObject({ code: 0, stderr: 'Unloaded slow.\n' });
    expect(await load.ended).toMatchObject({
      code: 1,
      stderr:
        'rolecall: Profile slow was unloaded while it was loading, so it is not served. Load it again if you still need it.\n',
    });
    await expect.poll(slowSourceRunning, SHOWN_WITHIN).toBe(false);
    expect(await snapshot()).toMatchObject({ slots: [], entries: [] });
  });

  it('keeps a load another terminal waits for when one of them presses Ctrl-C', async () => {
    await resetSlowSource();
    const leaving = startLoad(['slow', '--slot']);
    await expect.poll(runsOfSlowSource, SHOWN_WITHIN).toBe(1);
    // Into the default slot, so status tells when both loads have reached the server.
    const staying = startLoad(['slow']);
    await expect.poll(async () => (await snapshot()).loading?.length, SHOWN_WITHIN).toBe(2);

    leaving.child.kill('SIGINT');
    expect((await leaving.ended).code).toBe(130);
    expect(await slowSourceRunning()).toBe(true);
    await releaseSlowSource();
    const stayed = await staying.ended;
    expect(stayed.code).toBe(0);
    expect(stayed.stderr).toMatch(/^Loaded slow into the default slot .*; they expire in (59m|1h)/);
    expect(await runsOfSlowSource()).toBe(1);
    expect(await snapshot()).toMatchObject({ defaultProfile: 'slow', slots: [] });
    expect((await runCli(['unload', 'slow'], ws.env)).code).toBe(0);
  });
});

describe('a ROLECALL_HOME where the slots cannot be saved', () => {
  it(
    'warns on load and unload, exits 0, and shows the warning in status until a save succeeds',
    async () => {
      expect((await runCli(['unload', '--all'], ws.env)).code).toBe(0);
      const layout = join(ws.home, 'layout.json');
      await rm(layout, { force: true });
      // A directory where the layout file goes: no user, root included, can write it there.
      await mkdir(join(layout, 'in-the-way'), { recursive: true });
      const warning = `rolecall: warning: Rolecall could not save which profiles are loaded to ${layout} (a directory is in the way), so the slots as they are now will not survive a restart of Rolecall. Make ${ws.home} writable; the next load or unload then saves them.\n`;

      const load = await runCli(['load', 'fast'], ws.env);
      expect(load.code).toBe(0);
      expect(load.stderr).toMatch(/^Loaded fast into the default slot .*\n/);
      expect(load.stderr.endsWith(warning)).toBe(true);
      expect((await runCli(['status'], ws.env)).stdout).toContain(
        '\nWarning: Rolecall could not save',
      );

      const unload = await runCli(['unload', 'fast'], ws.env);
      expect(unload).toMatchObject({ code: 0, stderr: `Unloaded fast.\n${warning}` });

      await rm(layout, { recursive: true });
      const saved = await runCli(['load', 'fast', '--slot'], ws.env);
      expect(saved.code).toBe(0);
      expect(saved.stderr).not.toContain('warning');
      expect((await runCli(['status'], ws.env)).stdout).not.toContain('Warning');
      expect(JSON.parse(await readFile(layout, 'utf8'))).toMatchObject({ slots: ['fast'] });
    },
    CLI_HEAVY_TIMEOUT_MS,
  );
});
