import { spawn, execFile } from 'node:child_process';
import { readdir, readFile, stat, writeFile, chmod } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainScope, scopedSecretStore } from '../src-main/core/keychain-scope';
import { accessKeysAccount, createKeyStore } from '../src-main/core/keys/key-store';
import { defaultRolecallHome } from '../src-main/core/paths';
import { createKeytarStore } from '../src-main/core/secrets/keytar-store';
import {
  CLI,
  runCli,
  startServe,
  type CliResult,
  type ServeProcess,
} from './helpers/rolecall-process';
import { filesUnder, placesOf, processView, whereFound } from './helpers/secret-search';
import { withLockedKeyring } from './helpers/locked-keyring';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * `rolecall keys` as people and scripts use it — real processes, the real keychain (a private
 * gnome-keyring under scripts/with-keyring.mjs), a real terminal for hidden input — and then a
 * search for every secret that passed through in every file under HOME and ROLECALL_HOME, every
 * log, and the command line and environment of every process. Long-lived keys belong in the
 * keychain only.
 */
const PYTHON = '/usr/bin/python3';
const PTY_RUN = resolve(__dirname, 'helpers/pty_run.py');

// Made up for this test, shaped like real keys (AWS's documentation examples are well known, and
// a search for them could match text that has nothing to do with this run).
const DEV = { id: 'AKIAROLECALLDEV00001', secret: 'dEvSeCrEt/0123456789abcdefghijklmnopqrstu' };
const OTHER = { id: 'AKIAROLECALLOTHER001', secret: 'oThErSeCrEt/0123456789abcdefghijklmnopqr' };
const PIPED = { id: 'AKIAROLECALLPIPED001', secret: 'pIpEdSeCrEt/0123456789abcdefghijklmnopqr' };
const TYPED = { id: 'AKIAROLECALLTYPED001', secret: 'tYpEdSeCrEt/0123456789abcdefghijklmnopqr' };
const ABANDONED = {
  id: 'AKIAROLECALLCTRLC001',
  secret: 'cTrLcSeCrEt/0123456789abcdefghijklmnopqr',
};

const CREDENTIALS = [
  '# keys for the dev account',
  '[dev]',
  `aws_access_key_id = ${DEV.id}`,
  `aws_secret_access_key = ${DEV.secret}`,
  'region = eu-west-1',
  '',
  '[other]',
  `aws_access_key_id = ${OTHER.id}`,
  `aws_secret_access_key = ${OTHER.secret}`,
  '',
].join('\r\n');

let ws: Workspace;
let env: NodeJS.ProcessEnv;
let serve: ServeProcess;
const logs: string[] = [];
const processViews: string[] = [];

async function rolecall(args: string[], input?: string): Promise<CliResult> {
  const result = await runCli(args, env, input);
  logs.push(result.stdout, result.stderr);
  return result;
}

async function recordProcessView(pid: number): Promise<void> {
  processViews.push(...(await processView(pid)));
}

/** A command run on a real terminal, following a script of what appears and what is typed. */
function onTerminal(
  argv: string[],
  steps: Array<['wait' | 'send', string]>,
): Promise<{ output: string; code: number }> {
  return new Promise((done, fail) => {
    execFile(
      PYTHON,
      [PTY_RUN, JSON.stringify({ argv, steps })],
      { env, timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout)),
    );
  });
}

/** Every place a secret is found: a file, a log or a process view. */
async function whereFoundNow(secrets: string[]): Promise<string[]> {
  return whereFound(secrets, [
    ...(await filesUnder(ws.dir)).map(({ path, text }) => ({ where: path, text })),
    ...placesOf('log', logs),
    ...placesOf('process view', processViews),
  ]);
}

const keychain = () =>
  scopedSecretStore(
    createKeytarStore(),
    keychainScope(env.ROLECALL_HOME!, defaultRolecallHome(env)),
  );

beforeAll(async () => {
  ws = await createWorkspace();
  env = ws.env;
  await writeFile(ws.credentialsFile, CREDENTIALS);
  await chmod(ws.credentialsFile, 0o600);
  await ws.writeConfig('[profile dev]\nregion = eu-west-1\n');
  // A server runs all along, logging every request: nothing of the keys may reach it.
  serve = await startServe(env, ['--verbose']);
  await recordProcessView(serve.child.pid!);
});

afterAll(async () => {
  await serve?.stop();
  const store = createKeyStore(keychain());
  for (const profile of await store.profiles().catch(() => [])) await store.remove(profile);
  await ws?.dispose();
});

describe('rolecall keys with the real keychain', () => {
  it('imports without --remove: the keys are in the keychain and the file is untouched', async () => {
    const result = await rolecall(['keys', 'import', 'dev']);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(ws.credentialsFile, 'utf8')).toBe(CREDENTIALS);
    const item = JSON.parse((await keychain().get(accessKeysAccount('dev')))!);
    expect(item).toEqual({ version: 1, accessKeyId: DEV.id, secretAccessKey: DEV.secret });
    // Where the user had it, and nowhere else.
    expect(await whereFoundNow([DEV.secret])).toEqual([
      `${ws.credentialsFile}: ${DEV.secret.slice(0, 10)}…`,
    ]);
  });

  it('imports with --remove: the two lines leave the file, every other byte stays', async () => {
    const result = await rolecall(['keys', 'import', 'dev', '--remove']);
    expect(result.code, result.stderr).toBe(0);
    expect(await readFile(ws.credentialsFile, 'utf8')).toBe(
      CREDENTIALS.replace(`aws_access_key_id = ${DEV.id}\r\n`, '').replace(
        `aws_secret_access_key = ${DEV.secret}\r\n`,
        '',
      ),
    );
    expect((await stat(ws.credentialsFile)).mode & 0o777).toBe(0o600);
    expect(await readdir(ws.dir)).not.toContainEqual(expect.stringContaining('.tmp'));
    // The AWS CLI reads the rest as before.
    const other = await new Promise<string>((done) =>
      execFile(
        '/usr/bin/aws',
        ['configure', 'get', 'aws_access_key_id', '--profile', 'other'],
        { env },
        (_, out) => done(out.trim()),
      ),
    );
    expect(other).toBe(OTHER.id);
  });

  it('adds keys piped to --stdin, with nothing on the command line or in the environment', async () => {
    const child = spawn(process.execPath, [CLI, 'keys', 'add', 'piped', '--stdin'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    // Both lines are in the process, which waits for the end of its input: look at it now.
    child.stdin.write(`${PIPED.id}\n${PIPED.secret}\n`);
    await new Promise((done) => setTimeout(done, 300));
    await recordProcessView(child.pid!);
    child.stdin.end();
    expect(await exited, stderr).toBe(0);
    logs.push(stderr);
    expect(stderr).toContain(
      'Stored the keys of profile piped (****************D001) in the keychain.',
    );
    expect(stderr).toContain('There is no profile piped in');
  });

  it('asks on a terminal without showing what is typed', async () => {
    const { output, code } = await onTerminal(
      [process.execPath, CLI, 'keys', 'add', 'typed'],
      [
        ['wait', 'Access key ID for typed: '],
        ['send', `${TYPED.id}\r`],
        ['wait', 'Secret access key for typed: '],
        ['send', `${TYPED.secret}\r`],
        ['wait', 'in the keychain'],
      ],
    );
    logs.push(output);
    expect(code, output).toBe(0);
    expect(output).not.toContain(TYPED.id);
    expect(output).not.toContain(TYPED.secret.slice(0, 8));
    expect(JSON.parse((await keychain().get(accessKeysAccount('typed')))!).secretAccessKey).toBe(
      TYPED.secret,
    );
  });

  it('stores nothing on Ctrl-C, and gives the terminal back as it was', async () => {
    const { output, code } = await onTerminal(
      ['sh', '-c', `"$0" "$1" keys add abandoned; echo "exit=$?"; stty -a`, process.execPath, CLI],
      [
        ['wait', 'Access key ID for abandoned: '],
        ['send', `${ABANDONED.id}\r`],
        ['wait', 'Secret access key for abandoned: '],
        ['send', ABANDONED.secret.slice(0, 10)],
        ['send', '\u0003'],
        ['wait', 'exit='],
      ],
    );
    logs.push(output);
    expect(output).toContain('rolecall: Cancelled; nothing was stored.');
    expect(output).toContain('exit=130');
    expect(code).toBe(0);
    // Echo and line editing are on again for the shell that ran it.
    expect(output).toMatch(/(^|\s)echo(\s|$)/m);
    expect(output).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(await keychain().get(accessKeysAccount('abandoned'))).toBeNull();
  });

  it('lists profiles with masked key IDs, removes one, and lists again', async () => {
    const listed = await rolecall(['keys', 'list']);
    expect(listed.stdout).toBe(
      [
        'PROFILE  ACCESS KEY ID',
        'dev      ****************0001',
        'piped    ****************D001',
        'typed    ****************D001',
        '',
      ].join('\n'),
    );
    const removed = await rolecall(['keys', 'remove', 'dev']);
    expect(removed.stderr).toBe(
      'Removed the keys of profile dev (****************0001) from the keychain.\n',
    );
    expect(await keychain().get(accessKeysAccount('dev'))).toBeNull();
    expect((await rolecall(['keys', 'list'])).stdout).not.toContain('dev');
  });

  it('leaves no secret in any file, log, command line or environment', async () => {
    await serve.stop();
    logs.push(serve.stderr());
    const secrets = [
      DEV.secret,
      PIPED.secret,
      TYPED.secret,
      ABANDONED.secret,
      DEV.id,
      PIPED.id,
      TYPED.id,
    ];
    expect(await whereFoundNow(secrets)).toEqual([]);
    // Other keys the user keeps in the file are theirs, where they put them.
    expect(await readFile(ws.credentialsFile, 'utf8')).toContain(OTHER.secret);
    expect(processViews.length).toBe(4);
  });
});

/**
 * The real keychain failing: a private keyring of its own, locked (the shared one stays unlocked
 * for the other tests). `--remove` must leave the file exactly as it was, and listing must say the
 * keyring is locked — not crash, as keytar's own listing call would, nor report no keys.
 */
describe('rolecall keys with a locked keychain', () => {
  let locked: Workspace | undefined;
  afterAll(async () => {
    await locked?.dispose();
  });

  it('changes no file and says what to unlock', async () => {
    locked = await createWorkspace();
    await writeFile(locked.credentialsFile, CREDENTIALS);
    const run = withLockedKeyring(
      '"$0" "$1" keys import dev --remove; echo "import=$?"; "$0" "$1" keys list; echo "list=$?"',
      locked.env,
    );
    const output = await new Promise<string>((done, fail) => {
      execFile(
        process.execPath,
        run.args,
        { env: run.env, timeout: 60_000 },
        (error, stdout, stderr) => (error ? fail(error) : done(stdout + stderr)),
      );
    });
    expect(output).toContain('import=1');
    expect(output).toContain('list=1');
    expect(
      output.match(/rolecall: The OS keychain is not usable: the keyring is locked\./g),
    ).toHaveLength(2);
    expect(await readFile(locked.credentialsFile, 'utf8')).toBe(CREDENTIALS);
    expect(output).not.toContain(DEV.secret);
  }, 60_000);
});
