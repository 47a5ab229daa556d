import { spawn, type ChildProcess } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerInfo } from '../src-shared/server-info';
import { CLI, runCli, startServe } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * One Rolecall per ROLECALL_HOME, shown with real `rolecall serve` processes started at the same
 * instant — the way a login item and a terminal, or a service manager restarting in a loop, do.
 */
let ws: Workspace;
const started: ChildProcess[] = [];
beforeEach(async () => {
  ws = await createWorkspace();
});
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await ws.dispose();
});

const STARTS_AT_ONCE = 6;

interface Start {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | null>;
}

function serveAtOnce(count: number): Start[] {
  return Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: ws.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, stderr: () => stderr, exited };
  });
}

const running = (start: Start) => start.child.exitCode === null && start.child.signalCode === null;

async function runtimeInfo(): Promise<ServerInfo | null> {
  try {
    return JSON.parse(await readFile(join(ws.home, 'runtime.json'), 'utf8')) as ServerInfo;
  } catch {
    return null;
  }
}

/**
 * Waits until every start but one has given up and the one left has announced itself, then checks
 * that this is how it ended: one server, named in the runtime file, the rest refused in words.
 */
async function expectExactlyOneServing(starts: Start[]): Promise<Start> {
  await expect
    .poll(
      async () =>
        starts.filter(running).length === 1 &&
        (await runtimeInfo())?.pid === starts.find(running)?.child.pid,
      { timeout: 40_000, interval: 100 },
    )
    .toBe(true);
  const winner = starts.find(running)!;
  for (const loser of starts.filter((start) => start !== winner)) {
    expect(await loser.exited).toBe(1);
    expect(loser.stderr()).toMatch(
      /^rolecall: Rolecall is already running \(pid \d+\) with this ROLECALL_HOME \(.+\)\. Stop it first, or give this one its own ROLECALL_HOME\.\n$/,
    );
  }
  const info = (await runtimeInfo())!;
  expect((await fetch(info.url)).status).toBe(401);
  return winner;
}

async function stopCleanly(start: Start): Promise<void> {
  start.child.kill('SIGTERM');
  expect(await start.exited).toBe(0);
  expect(await runtimeInfo()).toBeNull();
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('one Rolecall per ROLECALL_HOME', () => {
  it('lets exactly one of many servers started at the same instant run, every time', async () => {
    for (let round = 0; round < 3; round += 1) {
      const winner = await expectExactlyOneServing(serveAtOnce(STARTS_AT_ONCE));
      await stopCleanly(winner);
    }
  }, 150_000);

  it('is not blocked by the lock of a server killed with SIGKILL, and takes it over only once', async () => {
    const killed = await startServe(ws.env);
    killed.child.kill('SIGKILL');
    await killed.stop();
    // What a killed server leaves: its runtime file and socket, naming a dead process.
    expect((await runtimeInfo())?.pid).toBe(killed.info.pid);
    expect(await exists(join(ws.home, 'instance.sock'))).toBe(true);
    const status = await runCli(['status'], ws.env);
    expect(status.stderr).toContain('not running');

    const winner = await expectExactlyOneServing(serveAtOnce(STARTS_AT_ONCE));
    const after = await runCli(['status', '--json'], ws.env);
    expect(after.code).toBe(0);
    await stopCleanly(winner);
    expect(await exists(join(ws.home, 'instance.sock'))).toBe(false);
  }, 90_000);
});
