import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeFederation } from './fixtures/fake-federation';
import type { FakeRole, FakeSts, FakeUser } from './fixtures/fake-sts';
import { startFakeStsFor, writeKeysProfile } from './helpers/fake-sts';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * `rolecall console` as users run it: real processes, the real keychain, the AWS SDK talking to a
 * fake STS, and a fake federation endpoint (ROLECALL_SIGNIN_URL) that signs in only with exactly
 * the credentials Rolecall serves — or, for long-lived keys, the federated user's it made.
 */
let ws: Workspace;
let sts: FakeSts;
let federation: FakeFederation;
let serve: ServeProcess;
let alice: FakeUser;
let bob: FakeUser;
let role: FakeRole;
let openedFile: string;

/** Each test runs the CLI and the server loads and calls STS; a busy machine takes seconds. */
const TIMEOUT_MS = 90_000;

/** A credential_process that prints these credentials. */
function printing(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}) {
  return `#!/usr/bin/env node
process.stdout.write(JSON.stringify({
  Version: 1,
  AccessKeyId: ${JSON.stringify(credentials.accessKeyId)},
  SecretAccessKey: ${JSON.stringify(credentials.secretAccessKey)},
  SessionToken: ${JSON.stringify(credentials.sessionToken)},
  Expiration: new Date(Date.now() + 3600000).toISOString(),
}));
`;
}

const helperCredentials = {
  accessKeyId: 'ASIAHELPERROLE000001',
  secretAccessKey: 'helper-role-secret',
  sessionToken: 'helper-role-token',
};
const userSessionCredentials = {
  accessKeyId: 'ASIAHELPERUSER000001',
  secretAccessKey: 'helper-user-secret',
  sessionToken: 'helper-user-token',
};

beforeAll(async () => {
  ws = await createWorkspace();
  sts = await startFakeStsFor(ws);
  federation = await FakeFederation.start();
  federation.knowFakeSts(sts);
  federation.know(helperCredentials, 'role');
  federation.know(userSessionCredentials, 'user-session');
  ws.env.ROLECALL_SIGNIN_URL = federation.url;

  alice = sts.createUser({ userName: 'alice' });
  bob = sts.createUser({ userName: 'bob' });
  role = sts.createRole({ roleName: 'Admin', maxSessionDurationSeconds: 43_200 });
  await writeKeysProfile(ws, 'keys', alice);
  await writeKeysProfile(ws, 'direct', bob);
  const helper = await ws.script('helper-creds', printing(helperCredentials));
  const userSession = await ws.script('user-session-creds', printing(userSessionCredentials));
  await ws.writeConfig(
    [
      '[profile keys]',
      'region = us-east-1',
      '[profile admin]',
      `role_arn = ${role.arn}`,
      'source_profile = keys',
      'region = eu-west-1',
      '[profile direct]',
      `role_arn = ${role.arn}`,
      'source_profile = direct',
      '[profile helper]',
      `credential_process = ${helper}`,
      '[profile usersession]',
      `credential_process = ${userSession}`,
      '',
    ].join('\n'),
  );
  // A browser opener that only notes what it was asked to open.
  openedFile = join(ws.dir, 'opened.txt');
  await mkdir(join(ws.dir, 'bin'));
  await ws.script(
    'bin/xdg-open',
    `#!/bin/sh\nprintf '%s\\n' "$@" >> ${JSON.stringify(openedFile)}\n`,
  );
  ws.env.PATH = `${join(ws.dir, 'bin')}:${ws.env.PATH ?? ''}`;
  await mkdir(ws.home, { recursive: true });
  await writeFile(join(ws.home, 'settings.json'), JSON.stringify({ console: { sessionHours: 2 } }));
  serve = await startServe(ws.env, ['--verbose']);
}, TIMEOUT_MS);

afterAll(async () => {
  await serve?.stop();
  await federation?.close();
  await sts?.close();
  await ws?.dispose();
});

/** The lines of a file a detached process writes, once it has written `count` of them. */
async function waitForLines(path: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = (await readFile(path, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The printed sign-in URL's fields, and what the endpoint knows of its token. */
function readPrinted(stdout: string) {
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const url = new URL(lines[0]!);
  const token = url.searchParams.get('SigninToken')!;
  return {
    endpoint: `${url.origin}${url.pathname}`,
    params: [...url.searchParams.keys()],
    action: url.searchParams.get('Action'),
    issuer: url.searchParams.get('Issuer'),
    destination: url.searchParams.get('Destination'),
    token,
    issued: federation.token(token),
  };
}

/** The getSigninToken request that issued `token`. */
const requestFor = (token: string) =>
  federation.requests.find((request) => request.token === token);

async function served(profile: string) {
  const authorization = (await runCli(['token'], ws.env)).stdout.trim();
  const response = await fetch(new URL(`slot/${profile}`, serve.info.url), {
    headers: { authorization },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { AccessKeyId: string; SecretAccessKey: string; Token: string };
}

describe('rolecall console', () => {
  it(
    'signs long-lived keys in as a federated user made with GetFederationToken, with no session length and nothing loaded',
    async () => {
      const result = await runCli(['console', 'keys', '--print'], ws.env);
      expect(result.stderr).not.toContain('rolecall:');
      expect(result.code).toBe(0);

      const printed = readPrinted(result.stdout);
      expect(printed).toMatchObject({
        endpoint: federation.url,
        params: ['Action', 'Issuer', 'Destination', 'SigninToken'],
        action: 'login',
        issuer: 'rolecall',
        destination: 'https://console.aws.amazon.com/console/home?region=us-east-1',
        issued: expect.objectContaining({ kind: 'federated-user' }),
      });
      const [call] = sts.calls.filter((each) => each.action === 'GetFederationToken');
      expect(call).toMatchObject({
        outcome: 'ok',
        signedBy: { accessKeyId: alice.accessKeyId },
        params: { Name: 'keys', DurationSeconds: '7200' },
      });
      expect(JSON.parse(call!.params.Policy!)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      });
      const issued = sts.credentials(printed.issued!.accessKeyId)!;
      expect(issued.issuedBy).toBe('GetFederationToken');
      expect(requestFor(printed.token)).toMatchObject({
        session: {
          sessionId: issued.accessKeyId,
          sessionKey: issued.secretAccessKey,
          sessionToken: issued.sessionToken,
        },
      });
      expect(requestFor(printed.token)!.sessionDuration).toBeUndefined();
      expect(result.stderr).toContain('The console signs in as federated user keys');
      const status = JSON.parse((await runCli(['status', '--json'], ws.env)).stdout) as {
        entries: unknown[];
      };
      expect(status.entries).toEqual([]);
    },
    TIMEOUT_MS,
  );

  it(
    'loads a chained role into its own slot and signs in with exactly what that slot serves, sending no session length',
    async () => {
      const result = await runCli(['console', 'admin', '--print', '--service', 's3'], ws.env);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /^Loaded admin into its slot http:\/\/127\.0\.0\.1:\d+\/slot\/admin to sign in;/,
      );

      const printed = readPrinted(result.stdout);
      expect(printed.destination).toBe('https://console.aws.amazon.com/s3/home?region=eu-west-1');
      expect(printed.issued?.kind).toBe('chained-role');
      const slot = await served('admin');
      expect(requestFor(printed.token)).toMatchObject({
        session: {
          sessionId: slot.AccessKeyId,
          sessionKey: slot.SecretAccessKey,
          sessionToken: slot.Token,
        },
      });
      expect(requestFor(printed.token)!.sessionDuration).toBeUndefined();
      expect(result.stderr).toContain(
        'admin is a role assumed with the credentials of profile keys (role chaining)',
      );
    },
    TIMEOUT_MS,
  );

  it(
    'asks a console session of console.sessionHours for a role its own keys assume',
    async () => {
      const result = await runCli(['console', 'direct', '--print'], ws.env);
      expect(result.code).toBe(0);
      const printed = readPrinted(result.stdout);
      expect(printed.issued).toMatchObject({ kind: 'role', sessionDuration: 7200 });
      const slot = await served('direct');
      expect(requestFor(printed.token)).toMatchObject({
        sessionDuration: '7200',
        session: {
          sessionId: slot.AccessKeyId,
          sessionKey: slot.SecretAccessKey,
          sessionToken: slot.Token,
        },
      });
      expect(result.stderr).toMatch(/The console session ends in 1h 59m \(/);
    },
    TIMEOUT_MS,
  );

  it(
    'signs credential_process credentials in as they are',
    async () => {
      const result = await runCli(['console', 'helper', '--print'], ws.env);
      expect(result.code).toBe(0);
      const printed = readPrinted(result.stdout);
      expect(printed.issued).toMatchObject({
        accessKeyId: helperCredentials.accessKeyId,
        kind: 'role',
      });
      expect(requestFor(printed.token)!.sessionDuration).toBeUndefined();
    },
    TIMEOUT_MS,
  );

  it(
    'explains in words why the endpoint refused an IAM user’s session, and exits 1',
    async () => {
      const result = await runCli(['console', 'usersession', '--print'], ws.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('rolecall: The AWS sign-in endpoint (127.0.0.1:');
      expect(result.stderr).toContain(
        "refused the credentials of profile usersession (HTTP 400). It takes only role credentials and federated users' credentials that have not expired — not an IAM user's own keys, nor a session made from them with GetSessionToken.",
      );
    },
    TIMEOUT_MS,
  );

  it(
    'hands the browser a one-time link to the server, never the sign-in URL',
    async () => {
      const result = await runCli(['console', 'helper'], ws.env);
      expect(result.stderr).toContain('Opened the AWS console as helper in your browser.');
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');

      const opened = (await readFile(openedFile, 'utf8')).trim().split('\n');
      expect(opened).toHaveLength(1);
      const link = opened[0]!;
      expect(link).toMatch(new RegExp(`^${serve.info.url}console/[\\w-]{43}$`));
      const followed = await fetch(link, { redirect: 'manual' });
      expect(followed.status).toBe(303);
      const signIn = new URL(followed.headers.get('location')!);
      expect(`${signIn.origin}${signIn.pathname}`).toBe(federation.url);
      expect(federation.token(signIn.searchParams.get('SigninToken')!)?.accessKeyId).toBe(
        helperCredentials.accessKeyId,
      );
      expect((await fetch(link, { redirect: 'manual' })).status).toBe(404);
    },
    TIMEOUT_MS,
  );

  it(
    'opens the link in a browser profile of its own, one directory per name, made private',
    async () => {
      // A stand-in Chromium that notes its arguments, one per line.
      const argsFile = join(ws.dir, 'browser-args.txt');
      const browser = await ws.script(
        'bin/fake-chromium',
        `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(argsFile)}\n`,
      );
      const env = { ...ws.env, ROLECALL_BROWSER: 'fake-chromium' };
      const result = await runCli(['console', 'helper', '--browser-profile', 'side'], env);
      expect(result.stderr).toContain(
        `Opened the AWS console as helper in browser profile side (${browser}).`,
      );
      expect(result.code).toBe(0);

      const directory = join(ws.home, 'browser-profiles', 'side');
      const args = await waitForLines(argsFile, 5);
      expect(args.slice(0, 4)).toEqual([
        `--user-data-dir=${directory}`,
        '--no-first-run',
        '--no-default-browser-check',
        '--new-window',
      ]);
      expect(args[4]).toMatch(new RegExp(`^${serve.info.url}console/[\\w-]{43}$`));
      expect((await fetch(args[4]!, { redirect: 'manual' })).status).toBe(303);
      expect((await stat(directory)).mode & 0o777).toBe(0o700);

      const print = await runCli(['console', 'helper', '--print', '--browser-profile', 'x'], env);
      expect(print.code).toBe(2);
      expect(print.stderr).toContain('Give either --print or --browser-profile, not both');
      const badName = await runCli(['console', 'helper', '--browser-profile', '../up'], env);
      expect(badName.code).toBe(2);
      expect(badName.stderr).toContain('"../up" cannot name a browser profile');
      const noBrowser = await runCli(['console', 'helper', '--browser-profile', 'side'], {
        ...ws.env,
        ROLECALL_BROWSER: 'no-such-browser',
      });
      expect(noBrowser.code).toBe(1);
      expect(noBrowser.stderr).toContain(
        'ROLECALL_BROWSER names no-such-browser, which is not a program here;',
      );
    },
    TIMEOUT_MS,
  );

  it('refuses both --service and --destination as a usage mistake', async () => {
    const result = await runCli(
      ['console', 'helper', '--service', 's3', '--destination', '/ec2'],
      ws.env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'rolecall: Give either --service or --destination, not both (see `rolecall console --help`).\n',
    );
  });

  it('leaves no credential, sign-in token or link in the server’s log, with every request logged', async () => {
    const log = serve.stderr();
    expect(log).toContain('/console/[redacted]');
    const secrets = [
      ...sts.issuedSecrets(),
      helperCredentials.secretAccessKey,
      helperCredentials.sessionToken,
      ...federation.requests.flatMap((request) => (request.token ? [request.token] : [])),
    ];
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/\/console\/[\w-]{43}/);
  });
});
