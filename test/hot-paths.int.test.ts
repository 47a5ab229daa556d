import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEARER_TOKEN_ACCOUNT } from '../src-main/core/bearer-token';
import { credentialsAccount } from '../src-main/core/broker/persistence';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import { CLI, runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import {
  createWorkspace,
  credentialScript,
  defaultHomeEnv,
  type Workspace,
} from './helpers/workspace';

/**
 * The commands machines run often, as real processes against a real `rolecall serve`: they
 * reuse what the server holds instead of running a source again, and load none of the packages
 * only the server, the window or other commands need.
 */
let ws: Workspace;
let serve: ServeProcess;
let devScript: string;

beforeAll(async () => {
  ws = await createWorkspace();
  devScript = await ws.script('dev-creds', credentialScript({ accessKeyId: 'ASIADEV' }));
  await ws.writeConfig(`[profile dev]\ncredential_process = ${devScript}\n`);
  serve = await startServe(ws.env);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

const rolecall = (...args: string[]) => runCli(args, ws.env);
const sourceRuns = async () => Number(await readFile(`${devScript}.count`, 'utf8'));

describe('helpers for a profile a slot already holds', () => {
  it('serve 30 credential-process helpers started at once without running its source again', async () => {
    expect((await rolecall('load', 'dev')).code).toBe(0);
    expect(await sourceRuns()).toBe(1);

    const helpers = await Promise.all(
      Array.from({ length: 30 }, () => rolecall('credential-process', '--profile', 'dev')),
    );

    for (const helper of helpers) {
      expect(helper.code, helper.stderr).toBe(0);
      expect(JSON.parse(helper.stdout)).toMatchObject({ Version: 1, AccessKeyId: 'ASIADEV' });
    }
    expect(await sourceRuns()).toBe(1);
    const status = await rolecall('status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ defaultProfile: 'dev', slots: ['dev'] });
  });

  it('runs exec from the slot held without running the source again', async () => {
    expect((await rolecall('unload', 'dev')).code).toBe(0);
    expect((await rolecall('load', 'dev')).code).toBe(0);
    const before = await sourceRuns();

    const exec = await rolecall('exec', 'dev', '--', 'true');

    expect(exec.code, exec.stderr).toBe(0);
    expect(await sourceRuns()).toBe(before);
  });
});

/** Packages none of the hot paths needs: the AWS SDK, the server's, the window's, the schemas. */
const HEAVY = ['@aws-sdk', '@smithy', 'fastify', 'react', 'zod', 'pino', '@peculiar'];

/** Node's own modules the last run of each command loaded, by the command's name. */
const builtinsLoadedBy = new Map<string, string[]>();

/** The files a command loaded (required or imported), written by a preload as it exits. */
async function loadedBy(
  args: string[],
  env = ws.env,
): Promise<{ code: number | null; files: string[] }> {
  const list = join(ws.dir, `loaded-${args[0]}.json`);
  const preload = join(ws.dir, 'list-loaded.cjs');
  await writeFile(
    preload,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n` +
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(`${list}.builtins`)}, JSON.stringify(process.moduleLoadList)));\n`,
  );
  const child = spawn(process.execPath, ['--require', preload, CLI, ...args], {
    env,
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  builtinsLoadedBy.set(
    args[0]!,
    (JSON.parse(await readFile(`${list}.builtins`, 'utf8')) as string[])
      .filter((entry) => entry.startsWith('NativeModule '))
      .map((entry) => entry.slice('NativeModule '.length)),
  );
  return { code, files: JSON.parse(await readFile(list, 'utf8')) as string[] };
}

function heavyPackages(files: string[]): string[] {
  return [
    ...new Set(
      files
        .map((file) => file.split('node_modules/').slice(1).pop() ?? '')
        .filter((inside) => HEAVY.some((name) => inside.startsWith(`${name}/`)))
        .map((inside) =>
          inside
            .split('/')
            .slice(0, inside.startsWith('@') ? 2 : 1)
            .join('/'),
        ),
    ),
  ];
}

describe('what the hot paths load', () => {
  it.each([
    [['credential-process', '--profile', 'dev']],
    [['env']],
    [['status', '--prompt']],
    [['exec', 'dev', '--', 'true']],
  ])('rolecall %j loads no AWS SDK, fastify, React or zod', async (args) => {
    expect((await rolecall('load', 'dev', '--slot')).code).toBe(0);
    const { code, files } = await loadedBy(args);
    expect(code).toBe(0);
    // The command's own chunks were loaded, so the list is the real one.
    expect(files.some((file) => file.endsWith('/out/main/cli.js'))).toBe(true);
    // On failure, the chunks it loaded say which import brought the package in.
    const chunks = files.filter((file) => file.includes('/out/main/')).join('\n');
    expect(heavyPackages(files), chunks).toEqual([]);
  });

  it.each([
    [['credential-process', '--profile', 'dev']],
    [['status', '--prompt']],
    [['exec', 'dev', '--', 'true']],
  ])('rolecall %j runs without commander', async (args) => {
    const { code, files } = await loadedBy(args);
    expect(code).toBe(0);
    expect(files.some((file) => file.endsWith('/out/main/cli.js'))).toBe(true);
    expect(files.filter((file) => file.includes('/node_modules/commander/'))).toEqual([]);
  });

  it('loads commander for what it reads: help, and mistakes', async () => {
    for (const args of [
      ['credential-process', '--help'],
      ['credential-process', '--profile'],
    ]) {
      const { files } = await loadedBy(args);
      expect(files.some((file) => file.includes('/node_modules/commander/'))).toBe(true);
    }
  });

  it('rolecall status --prompt reads neither the keychain nor the API: it asks the instance lock', async () => {
    expect((await rolecall('load', 'dev')).code).toBe(0);
    const { code, files } = await loadedBy(['status', '--prompt']);
    expect(code).toBe(0);
    expect(files.filter((file) => file.includes('/node_modules/'))).toEqual([]);
    expect(builtinsLoadedBy.get('status')).not.toContain('http');
    const prompt = await rolecall('status', '--prompt');
    expect(prompt).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^dev \d+m\n$/),
      stderr: '',
    });
  });

  it('sees the packages a command that needs them loads', async () => {
    const { code, files } = await loadedBy(['profiles']);
    expect(code).toBe(0);
    expect(heavyPackages(files)).toContain('zod');
  });
});

describe('with Rolecall in its default home, as most users run it', () => {
  let homeEnv: NodeJS.ProcessEnv;
  let homeServe: ServeProcess | undefined;

  beforeAll(async () => {
    homeEnv = defaultHomeEnv(ws);
    homeServe = await startServe(homeEnv);
    expect((await runCli(['load', 'dev'], homeEnv)).code).toBe(0);
  });

  afterAll(async () => {
    await homeServe?.stop();
    // Its keychain items have plain names: remove them, or the next run would find them.
    const keychain = createKeytarStore();
    await keychain.delete(BEARER_TOKEN_ACCOUNT);
    await keychain.delete(credentialsAccount('dev'));
  });

  it.each([[['credential-process', '--profile', 'dev']], [['exec', 'dev', '--', 'true']]])(
    'rolecall %j loads no node:crypto: the client only sends the bearer header, and the home needs no hash',
    async (args) => {
      const { code } = await loadedBy(args, homeEnv);
      expect(code).toBe(0);
      expect(builtinsLoadedBy.get(args[0]!)).toEqual(expect.arrayContaining(['net']));
      expect(builtinsLoadedBy.get(args[0]!)).not.toContain('crypto');
    },
  );
});
