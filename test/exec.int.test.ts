import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeRole, FakeSts, FakeUser } from './fixtures/fake-sts';
import { startFakeStsFor, writeKeysProfile } from './helpers/fake-sts';
import { CLI, runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';

/**
 * `rolecall exec` with real processes: a real server, real commands, the AWS SDK for JavaScript
 * in the command finding its credentials the way it always does, signals sent by a process and
 * typed on a real terminal.
 */
const PYTHON = '/usr/bin/python3';
const PTY_RUN = resolve(__dirname, 'helpers/pty_run.py');
const SDK = require.resolve('@aws-sdk/credential-providers');
const STS = require.resolve('@aws-sdk/client-sts');
/** Each test runs the CLI and Node children on a busy machine; each start takes seconds. */
const SLOW = 120_000;

let ws: Workspace;
let serve: ServeProcess;
let sts: FakeSts;
let alice: FakeUser;
let admin: FakeRole;
let renewScript: string;
let whoScript: string;
let signalScript: string;
let renewalScript: string;

/** The command: prints what the SDK's default chain found, and what it was given to find it. */
const who = `
const { fromNodeProviderChain } = require(${JSON.stringify(SDK)});
const shown = [
  'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_REGION',
  'AWS_DEFAULT_REGION', 'NODE_EXTRA_CA_CERTS',
];
const env = Object.fromEntries(shown.filter((name) => name in process.env).map((name) => [name, process.env[name]]));
const trust = process.env.NODE_EXTRA_CA_CERTS ? require('fs').readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8') : null;
fromNodeProviderChain()().then(
  (found) => console.log(JSON.stringify({ accessKeyId: found.accessKeyId, env, trust, args: process.argv.slice(2) })),
  (error) => { console.error(error.message); process.exit(9); },
);
`;

/**
 * The command for signals: notes each signal it gets in a file, and on SIGTERM ends by it as a
 * program that does not catch it would.
 */
const signals = `
const fs = require('fs');
const log = process.argv[2];
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2']) {
  process.on(name, () => {
    fs.appendFileSync(log, name + '\\n');
    if (name === 'SIGTERM') { process.removeAllListeners('SIGTERM'); process.kill(process.pid, 'SIGTERM'); }
  });
}
fs.writeFileSync(log + '.ready', String(process.pid));
setInterval(() => {}, 1000);
`;

/** A credential_process whose credentials live 10 s, each run with a new, numbered key. */
const renewing = `#!/usr/bin/env node
const fs = require('fs');
const counter = __filename + '.count';
const run = Number(fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8') : 0) + 1;
fs.writeFileSync(counter, String(run));
process.stdout.write(JSON.stringify({
  Version: 1,
  AccessKeyId: 'ASIARENEW' + String(run).padStart(8, '0'),
  SecretAccessKey: 'renew-secret-' + run,
  SessionToken: 'renew-token-' + run,
  Expiration: new Date(Date.now() + 10000).toISOString(),
}));
`;

/**
 * A long-running command: asks the SDK's default chain — one provider, as a long-lived client
 * holds — for credentials, waits until the source has run again, and asks again.
 */
const renewal = `
const fs = require('fs');
const { fromNodeProviderChain } = require(${JSON.stringify(SDK)});
const provider = fromNodeProviderChain();
const counter = process.argv[2] + '.count';
(async () => {
  const first = (await provider()).accessKeyId;
  const runs = Number(fs.readFileSync(counter, 'utf8'));
  while (Number(fs.readFileSync(counter, 'utf8')) <= runs) await new Promise((r) => setTimeout(r, 100));
  // The source has run again; its answer reaches the server once it has ended.
  let second = first;
  for (let tries = 0; second === first && tries < 100; tries += 1) {
    await new Promise((r) => setTimeout(r, 200));
    second = (await provider()).accessKeyId;
  }
  console.log(JSON.stringify({ first, second }));
})().catch((error) => { console.error(error.message); process.exit(9); });
`;

beforeAll(async () => {
  ws = await createWorkspace();
  sts = await startFakeStsFor(ws);
  alice = sts.createUser({ userName: 'alice', mfa: true });
  admin = sts.createRole({ roleName: 'admin', requireMfa: true });
  const dev = await ws.script('dev-creds', credentialScript({ accessKeyId: 'ASIAEXECDEV' }));
  const other = await ws.script('other-creds', credentialScript({ accessKeyId: 'ASIAOTHER' }));
  renewScript = await ws.script('renewing-creds', renewing);
  whoScript = join(ws.dir, 'who.js');
  signalScript = join(ws.dir, 'signals.js');
  renewalScript = join(ws.dir, 'renewal.js');
  await writeFile(whoScript, who);
  await writeFile(signalScript, signals);
  await writeFile(renewalScript, renewal);
  await writeKeysProfile(ws, 'alice', alice);
  await ws.writeConfig(
    [
      '[profile dev]',
      `credential_process = ${dev}`,
      'region = eu-west-1',
      '[profile other]',
      `credential_process = ${other}`,
      '[profile renewing]',
      `credential_process = ${renewScript}`,
      '[profile admin]',
      `role_arn = ${admin.arn}`,
      'source_profile = alice',
      `mfa_serial = ${alice.mfaSerial}`,
      'region = us-east-1',
      '',
    ].join('\n'),
  );
  serve = await startServe(ws.env);
}, SLOW);

afterAll(async () => {
  await serve?.stop();
  await sts?.close();
  await ws?.dispose();
});

const node = process.execPath;

function parsed(stdout: string) {
  return JSON.parse(stdout) as {
    accessKeyId: string;
    env: Record<string, string>;
    trust: string | null;
    args: string[];
  };
}

/** A command run on a real terminal, following a script of what appears and what is typed. */
function onTerminal(
  argv: string[],
  steps: Array<['wait' | 'send', string]>,
  env: NodeJS.ProcessEnv = ws.env,
): Promise<{ output: string; code: number }> {
  return new Promise((done, fail) => {
    execFile(
      PYTHON,
      [PTY_RUN, JSON.stringify({ argv, steps })],
      { env, timeout: SLOW },
      (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stderr}`)) : done(JSON.parse(stdout)),
    );
  });
}

async function waitForFile(path: string): Promise<void> {
  await expect.poll(() => existsSync(path), { timeout: 30_000, interval: 50 }).toBe(true);
}

describe('rolecall exec', () => {
  it(
    "gives the SDK's default chain the profile's own slot, in an environment without the shell's credentials",
    async () => {
      const shell = {
        ...ws.env,
        AWS_PROFILE: 'from-the-shell',
        AWS_ACCESS_KEY_ID: 'AKIASHELLSHELLSHELL1',
        AWS_SECRET_ACCESS_KEY: 'shell-secret',
        AWS_SESSION_TOKEN: 'shell-token',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/shell',
        AWS_REGION: 'ap-south-1',
      };
      const result = await runCli(
        ['exec', 'dev', '--', node, whoScript, 'a b', '$HOME', '*'],
        shell,
      );
      expect(result.code, result.stderr).toBe(0);
      const seen = parsed(result.stdout);
      expect(seen.accessKeyId).toBe('ASIAEXECDEV');
      expect(seen.env).toMatchObject({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${serve.info.url}slot/dev`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: expect.stringMatching(/^Bearer \S+$/),
        AWS_REGION: 'eu-west-1',
        AWS_DEFAULT_REGION: 'eu-west-1',
      });
      for (const name of [
        'AWS_PROFILE',
        'AWS_ACCESS_KEY_ID',
        'AWS_SECRET_ACCESS_KEY',
        'AWS_SESSION_TOKEN',
        'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      ])
        expect(seen.env, name).not.toHaveProperty(name);
      // No shell: the arguments arrive as given.
      expect(seen.args).toEqual(['a b', '$HOME', '*']);
      // Quiet: stderr belongs to the command.
      expect(result.stderr).toBe('');
      // Loaded into its own slot; the default slot is left alone.
      const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout);
      expect(status).toMatchObject({ defaultProfile: null, slots: ['dev'] });
    },
    SLOW,
  );

  it(
    'keeps the shell’s region when the profile has none, and uses what the slot holds without renewing it',
    async () => {
      const first = await runCli(['exec', 'other', '--', node, whoScript], {
        ...ws.env,
        AWS_REGION: 'ap-south-1',
      });
      expect(first.code, first.stderr).toBe(0);
      expect(parsed(first.stdout).env.AWS_REGION).toBe('ap-south-1');
      const runs = await readFile(join(ws.dir, 'other-creds.count'), 'utf8');
      const second = await runCli(['exec', 'other', '--', node, whoScript], ws.env);
      expect(parsed(second.stdout).accessKeyId).toBe('ASIAOTHER');
      expect(await readFile(join(ws.dir, 'other-creds.count'), 'utf8')).toBe(runs);
    },
    SLOW,
  );

  it(
    'with --default-slot, loads the profile there and points the command at it',
    async () => {
      const result = await runCli(
        ['exec', 'other', '--default-slot', '--', node, whoScript],
        ws.env,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(parsed(result.stdout).env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(serve.info.url);
      const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout);
      expect(status.defaultProfile).toBe('other');
      await runCli(['unload', '--all'], ws.env);
    },
    SLOW,
  );

  it(
    'with --env-keys, gives the keys themselves and warns that they are not renewed',
    async () => {
      const result = await runCli(['exec', 'dev', '--env-keys', '--', node, whoScript], ws.env);
      expect(result.code, result.stderr).toBe(0);
      const seen = parsed(result.stdout);
      expect(seen.accessKeyId).toBe('ASIAEXECDEV');
      expect(seen.env).toMatchObject({
        AWS_ACCESS_KEY_ID: 'ASIAEXECDEV',
        AWS_SESSION_TOKEN: 'test-session-token',
        AWS_CREDENTIAL_EXPIRATION: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(seen.env).not.toHaveProperty('AWS_CONTAINER_CREDENTIALS_FULL_URI');
      expect(result.stderr).toMatch(
        /^rolecall: warning: --env-keys gives the command dev's keys as they are now; they are not renewed while it runs, and expire in \d+m \d\ds \(.+\)\.\n$/,
      );
    },
    SLOW,
  );

  it(
    'exits with the command’s status, 127 for no such command, 128 + n for a signal',
    async () => {
      const exited = await runCli(['exec', 'dev', '--', node, '-e', 'process.exit(7)'], ws.env);
      expect(exited.code).toBe(7);
      expect(exited.stderr).toBe('');

      const missing = await runCli(['exec', 'dev', '--', 'rolecall-no-such-command', 'x'], ws.env);
      expect(missing).toMatchObject({
        code: 127,
        stderr:
          'rolecall: There is no command rolecall-no-such-command on your PATH; check its name, or give its full path.\n',
      });

      const killed = await runCli(
        ['exec', 'dev', '--', node, '-e', "process.kill(process.pid, 'SIGKILL')"],
        ws.env,
      );
      expect(killed.code).toBe(128 + 9);
    },
    SLOW,
  );

  it(
    'runs nothing, and says why in one sentence, for a profile that cannot be loaded or no running Rolecall',
    async () => {
      const marker = join(ws.dir, 'ran');
      const touch = [node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`];
      const unknown = await runCli(['exec', 'dve', '--', ...touch], ws.env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(
        /^rolecall: There is no profile named dve .*Did you mean dev\?\n$/,
      );

      const elsewhere = await createWorkspace();
      try {
        const stopped = await runCli(['exec', 'dev', '--', ...touch], elsewhere.env);
        expect(stopped).toMatchObject({
          code: 1,
          stderr:
            'rolecall: Rolecall is not running. Start it with `rolecall serve` (or open the app).\n',
        });
      } finally {
        await elsewhere.dispose();
      }
      expect(existsSync(marker)).toBe(false);
    },
    SLOW,
  );

  it(
    'refuses to run as the profile when the default profile has credentials SDKs would use first',
    async () => {
      const config = await readFile(ws.configFile, 'utf8');
      const leftover = await ws.script(
        'default-creds',
        credentialScript({ accessKeyId: 'ASIADEFAULT' }),
      );
      await ws.writeConfig(`[default]\ncredential_process = ${leftover}\n${config}`);
      try {
        const refused = await runCli(['exec', 'dev', '--', node, whoScript], ws.env);
        expect(refused).toMatchObject({
          code: 1,
          stdout: '',
          stderr:
            "rolecall: Your default profile has credentials of its own (credential_process), which AWS SDKs and the AWS CLI use before Rolecall's endpoint, so the command would not run as dev. Move them into a named profile, or pass --env-keys.\n",
        });
        // What the refusal prevents: the endpoint alone loses to the default profile.
        const shadowed = await runCli(['env', '--format', 'json', '--profile', 'dev'], ws.env);
        // `env` cannot refuse a shell its variables, but says why they would not be used.
        expect(shadowed.stderr).toContain(
          "warning: Your default profile has credentials of its own (credential_process), which AWS SDKs and the AWS CLI use before Rolecall's endpoint, so the command would not run as dev; move them into a named profile.\n",
        );
        const { stdout } = await new Promise<{ stdout: string }>((done, fail) =>
          execFile(
            node,
            [whoScript],
            { env: { ...ws.env, ...JSON.parse(shadowed.stdout) } },
            (error, out) => (error ? fail(error) : done({ stdout: out })),
          ),
        );
        expect(parsed(stdout).accessKeyId).toBe('ASIADEFAULT');

        const keys = await runCli(['exec', 'dev', '--env-keys', '--', node, whoScript], ws.env);
        expect(keys.code, keys.stderr).toBe(0);
        expect(parsed(keys.stdout).accessKeyId).toBe('ASIAEXECDEV');
      } finally {
        await ws.writeConfig(config);
      }
    },
    SLOW,
  );

  it(
    'passes signals on to the command and ends by the one that ended it',
    async () => {
      const log = join(ws.dir, 'signals.log');
      // In a session of its own, as under a service manager: no terminal sends the command
      // anything, so every signal must come through exec.
      const exec = spawn(node, [CLI, 'exec', 'dev', '--', node, signalScript, log], {
        env: ws.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let stderr = '';
      exec.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const ended = new Promise<number | null>((done) => exec.on('close', (code) => done(code)));
      try {
        await waitForFile(`${log}.ready`);
        for (const [signal, seen] of [
          ['SIGINT', 'SIGINT\n'],
          ['SIGUSR2', 'SIGINT\nSIGUSR2\n'],
          ['SIGHUP', 'SIGINT\nSIGUSR2\nSIGHUP\n'],
        ] as const) {
          exec.kill(signal);
          await expect
            .poll(() => readFile(log, 'utf8').catch(() => ''), { timeout: 10_000 })
            .toBe(seen);
          expect(exec.exitCode, `exec ended on ${signal}: ${stderr}`).toBeNull();
        }
        exec.kill('SIGTERM');
        expect(await ended).toBe(128 + 15);
        expect(await readFile(log, 'utf8')).toBe('SIGINT\nSIGUSR2\nSIGHUP\nSIGTERM\n');
      } finally {
        // Whatever failed, nothing of this test outlives it: exec leads a process group of its own.
        try {
          process.kill(-exec.pid!, 'SIGKILL');
        } catch {
          // The group has ended, as it should have.
        }
      }
      expect(stderr).toBe('');
    },
    SLOW,
  );

  it(
    'lets Ctrl-C on a terminal reach the command once, not twice',
    async () => {
      // terraform takes a second interrupt as "stop now, whatever it leaves broken".
      const count = `
        let seen = 0;
        process.on('SIGINT', () => {
          seen += 1;
          if (seen === 1) setTimeout(() => { console.log('interrupts: ' + seen); process.exit(0); }, 1500);
        });
        console.log('ready');
        setInterval(() => {}, 1000);`;
      const { output, code } = await onTerminal(
        [node, CLI, 'exec', 'dev', '--', node, '-e', count],
        [
          ['wait', 'ready'],
          ['send', '\x03'],
          ['wait', 'interrupts:'],
        ],
      );
      expect(output).toContain('interrupts: 1');
      expect(code).toBe(0);
    },
    SLOW,
  );

  it(
    'gives a command that outlives a renewal the renewed keys',
    async () => {
      const result = await runCli(
        ['exec', 'renewing', '--', node, renewalScript, renewScript],
        ws.env,
      );
      expect(result.code, result.stderr).toBe(0);
      const { first, second } = JSON.parse(result.stdout) as { first: string; second: string };
      expect(first).toMatch(/^ASIARENEW\d{8}$/);
      expect(second).toMatch(/^ASIARENEW\d{8}$/);
      expect(Number(second.slice(-8))).toBeGreaterThan(Number(first.slice(-8)));
      await runCli(['unload', 'renewing'], ws.env);
    },
    SLOW,
  );

  it(
    'asks for the MFA code the profile needs on the terminal, as rolecall load does',
    async () => {
      const code = sts.mfaCode(alice.mfaSerial!);
      const identity = `
        const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(STS)});
        new STSClient({}).send(new GetCallerIdentityCommand({})).then(
          (answer) => console.log('caller: ' + answer.Arn),
          (error) => { console.error(error.message); process.exit(9); });`;
      const { output, code: status } = await onTerminal(
        [node, CLI, 'exec', 'admin', '--', node, '-e', identity],
        [
          ['wait', `MFA code for ${alice.mfaSerial} (profiles admin, alice): `],
          ['send', `${code}\r`],
          ['wait', 'caller: '],
        ],
      );
      expect(output).toMatch(/caller: arn:aws:sts::\d+:assumed-role\/admin\//);
      expect(status).toBe(0);
      expect(output).not.toContain(code);
    },
    SLOW,
  );
});

describe('rolecall exec over TLS', () => {
  let tls: Workspace;
  let tlsServe: ServeProcess;

  beforeAll(async () => {
    tls = await createWorkspace();
    const dev = await tls.script('dev-creds', credentialScript({ accessKeyId: 'ASIAEXECTLS' }));
    await tls.writeConfig(`[profile dev]\ncredential_process = ${dev}\n`);
    tlsServe = await startServe(tls.env, ['--tls']);
  }, SLOW);

  afterAll(async () => {
    await tlsServe?.stop();
    await tls?.dispose();
  });

  it(
    "has the SDK trust Rolecall's CA, beside the certificates the shell already trusts",
    async () => {
      // The shell trusts a certificate of its own (a company proxy's, say); any valid one will do.
      const corporate = join(tls.home, 'tls', 'leaf.pem');
      const ownCertificate = await readFile(tlsServe.info.caFile!, 'utf8');
      const result = await runCli(['exec', 'dev', '--', node, whoScript], {
        ...tls.env,
        NODE_EXTRA_CA_CERTS: corporate,
      });
      expect(result.code, result.stderr).toBe(0);
      const seen = parsed(result.stdout);
      expect(seen.accessKeyId).toBe('ASIAEXECTLS');
      expect(seen.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toBe(`${tlsServe.info.url}slot/dev`);
      expect(seen.trust).toContain(await readFile(corporate, 'utf8'));
      expect(seen.trust).toContain(ownCertificate);
      // Made for the run, and gone with it.
      expect(existsSync(seen.env.NODE_EXTRA_CA_CERTS!)).toBe(false);
    },
    SLOW,
  );
});
