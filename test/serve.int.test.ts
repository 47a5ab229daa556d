import { connect, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fromContainerMetadata, fromHttp, fromProcess } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOn } from './helpers/free-port';
import { CLI, runCli, startCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, credentialScript, type Workspace } from './helpers/workspace';
import { withEnv } from './helpers/with-env';

/**
 * End to end, as a user runs it: a real `rolecall serve` process, the real keychain, real
 * credential_process scripts, and the AWS SDK's own providers reading the result.
 */
let ws: Workspace;
let serve: ServeProcess;

beforeAll(async () => {
  ws = await createWorkspace();
  const dev = await ws.script('dev-creds', credentialScript({ accessKeyId: 'ASIADEV' }));
  const prod = await ws.script('prod-creds', credentialScript({ accessKeyId: 'ASIAPROD' }));
  const failing = await ws.script(
    'failing',
    '#!/bin/sh\necho "token for team expired; run sso-login" >&2\nexit 3\n',
  );
  await ws.writeConfig(
    [
      '[profile dev]',
      `credential_process = ${dev} dev`,
      '[profile prod]',
      `credential_process = "${prod}" prod`,
      '[profile broken]',
      `credential_process = ${failing}`,
      '[profile missing-command]',
      'credential_process = /nonexistent/get-creds --profile x',
      '[profile via-rolecall]',
      `credential_process = ${process.execPath} ${CLI} credential-process --profile prod`,
      '[profile sso-user]',
      'sso_session = corp',
      'sso_account_id = 123456789012',
      'sso_role_name = Admin',
      '[sso-session corp]',
      'sso_start_url = https://corp.awsapps.com/start',
      'sso_region = eu-west-1',
      '',
    ].join('\n'),
  );
  serve = await startServe(ws.env);
});

afterAll(async () => {
  await serve?.stop();
  await ws?.dispose();
});

/** Runs `fn` with the variables `rolecall env` printed, as `eval "$(rolecall env)"` would. */
async function withRolecallEnv<T>(args: string[], fn: () => Promise<T>): Promise<T> {
  const printed = await runCli(['env', '--format', 'json', ...args], ws.env);
  expect(printed.code).toBe(0);
  const vars = JSON.parse(printed.stdout) as Record<string, string>;
  return withEnv(vars, fn);
}

describe('rolecall serve', () => {
  it('announces itself in a 0600 runtime file inside a 0700 ROLECALL_HOME', async () => {
    expect((await stat(join(ws.home, 'runtime.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(ws.home)).mode & 0o777).toBe(0o700);
    expect(serve.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('lists profiles of every kind', async () => {
    const result = await runCli(['profiles', '--json'], ws.env);
    expect(result.code).toBe(0);
    const profiles = JSON.parse(result.stdout) as Array<{
      name: string;
      kind: string;
      loadable: boolean;
    }>;
    expect(profiles.find((p) => p.name === 'dev')).toMatchObject({
      kind: 'credential_process',
      loadable: true,
    });
    // Nobody has signed in to corp here: its profile says to, rather than offer a failing load.
    expect(profiles.find((p) => p.name === 'sso-user')).toMatchObject({
      kind: 'sso',
      loadable: false,
      signInFirst: 'corp',
    });
  });

  it('serves a loaded profile to the AWS SDK container providers', async () => {
    const load = await runCli(['load', 'dev'], ws.env);
    expect(load.stderr).toMatch(
      /^Loaded dev into the default slot http:\/\/127\.0\.0\.1:\d+\/; they expire in 59m/,
    );
    expect(load.code).toBe(0);

    await withRolecallEnv([], async () => {
      const viaHttp = await fromHttp({})();
      expect(viaHttp).toMatchObject({
        accessKeyId: 'ASIADEV',
        secretAccessKey: 'test-secret-dev',
        sessionToken: 'test-session-token',
      });
      const viaContainer = await fromContainerMetadata()();
      expect(viaContainer.accessKeyId).toBe('ASIADEV');
      expect(viaContainer.expiration!.getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
    });
  });

  it('serves a named slot at its own URL while the default slot keeps its profile', async () => {
    const load = await runCli(['load', 'prod', '--slot'], ws.env);
    expect(load.code).toBe(0);
    await withRolecallEnv(['--profile', 'prod'], async () => {
      expect(process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(/\/slot\/prod$/);
      expect((await fromHttp({})()).accessKeyId).toBe('ASIAPROD');
    });
    await withRolecallEnv([], async () => {
      expect((await fromHttp({})()).accessKeyId).toBe('ASIADEV');
    });
    const status = await runCli(['status'], ws.env);
    expect(status.stdout).toMatch(/default\s+dev\s+fresh\s+59m/);
    expect(status.stdout).toMatch(/^\/slot\/prod\s+prod\s+fresh\s+59m/m);
  });

  it('works as a credential_process for tools that only understand profiles', async () => {
    const provider = fromProcess({
      profile: 'via-rolecall',
      filepath: ws.credentialsFile,
      configFilepath: ws.configFile,
    });
    await withEnv({ ROLECALL_HOME: ws.home }, async () => {
      const creds = await provider();
      expect(creds).toMatchObject({ accessKeyId: 'ASIAPROD', secretAccessKey: 'test-secret-prod' });
      expect(creds.expiration).toBeInstanceOf(Date);
    });
  });

  it('explains why a broken credential_process failed, with the tail of its stderr', async () => {
    const result = await runCli(['load', 'broken'], ws.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('profile broken');
    expect(result.stderr).toContain('code 3');
    expect(result.stderr).toContain('token for team expired; run sso-login');
    expect(result.stderr).not.toContain('    at ');

    const missing = await runCli(['load', 'missing-command'], ws.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/get-creds');

    const unknown = await runCli(['load', 'no-such-profile'], ws.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-profile');

    // A role of a session nobody signed in to waits for the sign-in, saying how to give it.
    const sso = startCli(['load', 'sso-user'], ws.env);
    await sso.printed('rolecall login corp');
    sso.kill('SIGINT');
    expect(await sso.done, sso.stderr()).toBe(130);
  });

  it('unloads one profile, then everything', async () => {
    expect((await runCli(['unload', 'prod'], ws.env)).stderr).toBe('Unloaded prod.\n');
    const again = await runCli(['unload', 'prod'], ws.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('rolecall: Profile prod is not loaded.\n');
    const usage = await runCli(['unload'], ws.env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe(
      'rolecall: Name a profile to unload, or pass --all (see `rolecall unload --help`).\n',
    );
    expect((await runCli(['unload', '--all'], ws.env)).code).toBe(0);
    const status = await runCli(['status', '--json'], ws.env);
    expect(JSON.parse(status.stdout)).toMatchObject({
      defaultProfile: null,
      slots: [],
      entries: [],
    });
  });

  it('refuses a second server on the same ROLECALL_HOME', async () => {
    const second = await runCli(['serve'], ws.env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`Rolecall is already running (pid ${serve.info.pid})`);
  });

  it('prints the token that the server accepts', async () => {
    const token = await runCli(['token'], ws.env);
    expect(token.stdout).toMatch(/^Bearer [A-Za-z0-9_-]{43}\n$/);
    const response = await fetch(new URL('/slot', serve.info.url), {
      headers: { authorization: token.stdout.trim() },
    });
    expect(response.status).toBe(200);
  });

  // Last in this block: every later request needs the new token.
  it('rotates the token of the running server, so the old one stops working at once', async () => {
    const old = (await runCli(['token'], ws.env)).stdout.trim();
    const rotated = await runCli(['token', '--rotate'], ws.env);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain('clients using the old one now get 401');
    const fresh = rotated.stdout.trim();
    expect(fresh).toMatch(/^Bearer [A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    expect((await runCli(['token'], ws.env)).stdout.trim()).toBe(fresh);
    const slot = (authorization: string) =>
      fetch(new URL('/slot', serve.info.url), { headers: { authorization } }).then((r) => r.status);
    expect(await slot(old)).toBe(401);
    expect(await slot(fresh)).toBe(200);
  });
});

/** This machine's addresses other than loopback (link-local IPv6 needs a scope; left out). */
const otherAddresses = Object.values(networkInterfaces())
  .flat()
  .filter((address) => address && !address.internal && !address.address.startsWith('fe80'))
  .map((address) => address!.address);

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('rolecall serve on the network', () => {
  it.skipIf(otherAddresses.length === 0)(
    'cannot be reached on any other address of this machine',
    async () => {
      const ws2 = await createWorkspace();
      const server = await startServe(ws2.env);
      // A control listening on every interface proves these addresses are reachable at all.
      const control = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => control.listen(0, '::', resolve));
      const controlPort = (control.address() as { port: number }).port;
      try {
        for (const address of otherAddresses) {
          expect(await tryConnect(address, controlPort), address).toBe('connected');
          expect(await tryConnect(address, server.info.port), address).toBe('ECONNREFUSED');
        }
        expect(await tryConnect('127.0.0.1', server.info.port)).toBe('connected');
      } finally {
        control.close();
        await server.stop();
        await ws2.dispose();
      }
    },
  );
});

describe('rolecall serve start-up errors', () => {
  it('refuses a non-loopback host', async () => {
    const other = await createWorkspace();
    try {
      const result = await runCli(['serve', '--host', '0.0.0.0'], other.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'rolecall: Refusing to listen on 0.0.0.0: Rolecall serves credentials only on loopback (127.0.0.1, ::1 or localhost), so no other machine can reach them.\n',
      );
    } finally {
      await other.dispose();
    }
  });

  it('says clearly when the port is taken', async () => {
    const other = await createWorkspace();
    const blocker = await listenOn(0);
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli(['serve', '--port', String(port)], other.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `Port ${port} on 127.0.0.1 is already in use by another program.`,
      );
    } finally {
      blocker.close();
      await other.dispose();
    }
  });

  it('exits with what to install or unlock when the keychain cannot be reached', async () => {
    const other = await createWorkspace();
    try {
      const result = await runCli(['serve'], {
        ...other.env,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(other.dir, 'no-bus')}`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/keychain|Secret Service/i);
      expect(result.stderr).not.toContain('    at ');
    } finally {
      await other.dispose();
    }
  });

  it('says Rolecall is not running when no server is up', async () => {
    const other = await createWorkspace();
    try {
      const result = await runCli(['status'], other.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'rolecall: Rolecall is not running. Start it with `rolecall serve` (or open the app).\n',
      );
    } finally {
      await other.dispose();
    }
  });
});

describe('stopping', () => {
  it('stops on SIGTERM even while a client has not finished sending its request', async () => {
    const own = await createWorkspace();
    const server = await startServe(own.env);
    const { port } = new URL(server.info.url);
    // Headers begun and never ended: a request in flight the server would wait on for minutes.
    const client = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', () => resolve()));
    client.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const cut = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => {});
    try {
      expect(await server.stop('SIGTERM')).toBe(0);
      expect(server.stderr()).toContain('Received SIGTERM; stopping.');
      await cut;
    } finally {
      client.destroy();
      await own.dispose();
    }
  });
});
