import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIdentityCenter, type FakeIdentityCenter } from './fixtures/fake-identity-center';
import { loginWithApprovedCode, printedCode, runLogin } from './helpers/cli-login';
import { runCli, startServe, type ServeProcess } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/** Each test runs several `rolecall` processes one after another; on a busy machine each takes seconds. */
const SEVERAL_PROCESSES = { timeout: 90_000 };

/**
 * Signing in with real `rolecall` processes when things go stale or overlap: a client
 * registration the Identity Center forgot, two sign-ins to one session, cancelling from the CLI,
 * the window's API and Ctrl-C, and an Identity Center that cannot be reached.
 */
let ws: Workspace;
let fake: FakeIdentityCenter;
let port: number;
let serve: ServeProcess;
let env: NodeJS.ProcessEnv;
let token: string;

beforeAll(async () => {
  ws = await createWorkspace();
  fake = await startFakeIdentityCenter({ accounts: 3, rolesPerAccount: 2, pageSize: 2 });
  port = Number(new URL(fake.url).port);
  env = { ...ws.env, AWS_ENDPOINT_URL_SSO: fake.url, AWS_ENDPOINT_URL_SSO_OIDC: fake.url };
  await ws.writeConfig(
    [
      '[sso-session corp]',
      `sso_start_url = ${fake.startUrl}`,
      'sso_region = us-east-1',
      '',
      '[profile pinned]',
      'sso_session = corp',
      'sso_account_id = 100000000001',
      'sso_role_name = Role1',
      '',
    ].join('\n'),
  );
  serve = await startServe(env);
  token = (await runCli(['token'], env)).stdout.trim();
});

afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await ws?.dispose();
});

/** The Identity Center instance is recreated at the same address: it remembers nothing. */
async function restartFake(): Promise<void> {
  await fake.close();
  fake = await startFakeIdentityCenter({ accounts: 3, rolesPerAccount: 2, pageSize: 2, port });
}

/** A call to the control API, as the window and the web UI make it. */
// The answers are JSON the assertions below take apart; their shapes are what is being tested.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(name: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(new URL(`api/${name}`, serve.info.url), {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** Follows the sign-in URL a `rolecall login --no-browser` printed, like a signed-in browser. */
async function completeInBrowser(stderr: () => string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let url: string | undefined;
  while (!url) {
    url = /^\s+(http\S+)$/m.exec(stderr())?.[1];
    if (Date.now() > deadline) throw new Error(`no sign-in URL printed: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const authorize = await fetch(url, { redirect: 'manual' });
  if (authorize.status !== 302) return `authorize page answered ${authorize.status}`;
  return (await fetch(authorize.headers.get('location')!)).text();
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('signing in when the client registration goes stale', SEVERAL_PROCESSES, () => {
  it('registers again by itself after the Identity Center forgot Rolecall (device code)', async () => {
    expect((await loginWithApprovedCode(env, fake, 'corp')).code).toBe(0);
    await restartFake();
    const login = await loginWithApprovedCode(env, fake, 'corp');
    expect(login.output).not.toContain('Could not start the sign-in');
    expect(login.code).toBe(0);
    expect(fake.stats.calls.RegisterClient).toBe(1);
    expect((await runCli(['load', 'pinned'], env)).code).toBe(0);
  });

  it('registers again before sending the browser there (authorization code)', async () => {
    const first = runLogin(env, ['corp', '--no-browser']);
    expect(await completeInBrowser(first.stderr)).toContain('Signed in to corp.');
    expect(await first.done).toBe(0);
    await restartFake();
    const again = runLogin(env, ['corp', '--no-browser']);
    expect(await completeInBrowser(again.stderr)).toContain('Signed in to corp.');
    expect(await again.done).toBe(0);
    expect(fake.stats.calls.RegisterClient).toBe(1);
    expect(fake.stats.calls.Authorize).toBe(1);
  });

  it('writes discovery progress into a pipe as plain lines', async () => {
    const login = await loginWithApprovedCode(env, fake, 'corp');
    expect(login.code).toBe(0);
    expect(login.output).not.toContain('\r');
    expect(login.output).toContain('Found 3 accounts; listing the roles in each...\n');
    expect(login.output).toContain('Found 7 roles in 3 accounts.');
  });
});

describe('one sign-in per session at a time', SEVERAL_PROCESSES, () => {
  it('tells a second sign-in where the first waits, and cancels the first from the CLI', async () => {
    const first = runLogin(env, ['corp', '--device-code', '--no-browser']);
    const code = await printedCode(first);

    const second = runLogin(env, ['corp', '--device-code', '--no-browser']);
    expect(await second.done).toBe(1);
    expect(second.stderr()).toContain(`A sign-in to corp is already waiting for the code ${code}`);
    expect(second.stderr()).toContain('started by `rolecall login` in a terminal (pid ');
    expect(second.stderr()).toContain('cancel it with `rolecall login corp --cancel`');

    // The window is told the same, and starts nothing.
    const fromWindow = await api('startSignIn', { session: 'corp', flow: 'device' });
    expect(fromWindow).toMatchObject({
      status: 200,
      body: { alreadyWaiting: true, startedBy: 'terminal', userCode: code },
    });
    expect((await api('listSessions', {})).body).toEqual([
      expect.objectContaining({
        name: 'corp',
        signingIn: true,
        signIn: expect.objectContaining({ startedBy: 'terminal', userCode: code }),
      }),
    ]);

    const cancel = await runCli(['login', 'corp', '--cancel'], env);
    expect(cancel.code).toBe(0);
    expect(cancel.stderr).toContain(
      `Cancelled the sign-in to corp that was waiting for the code ${code}`,
    );
    expect(await first.done).toBe(1);
    expect(first.stderr()).toContain('The sign-in to corp was cancelled');
    expect((await runCli(['login', 'corp', '--cancel'], env)).stderr).toContain(
      'No sign-in to corp is waiting.',
    );
    expect((await loginWithApprovedCode(env, fake, 'corp')).code).toBe(0);
  });

  it("cancels a terminal's browser sign-in from the window's API", async () => {
    const login = runLogin(env, ['corp', '--no-browser']);
    await waitFor(() => /^\s+http/m.test(login.stderr()), 'the sign-in URL');
    const waiting = (await api('listSessions', {})).body[0];
    expect(waiting.signIn).toMatchObject({ startedBy: 'terminal', inBrowser: true });
    expect(waiting.signIn.url).toBeUndefined();
    const cancelled = await api('cancelSignIn', { session: 'corp' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body[0]).not.toHaveProperty('signIn');
    expect(await login.done).toBe(1);
    expect(login.stderr()).toContain('The sign-in to corp was cancelled');
  });

  it("cancels the window's sign-in from the CLI, which the window does not show as a failure", async () => {
    const started = await api('startSignIn', { session: 'corp', flow: 'device' });
    expect(started.body).toMatchObject({ startedBy: 'app', userCode: expect.any(String) });
    const fromTerminal = runLogin(env, ['corp', '--device-code', '--no-browser']);
    expect(await fromTerminal.done).toBe(1);
    expect(fromTerminal.stderr()).toContain(
      `already waiting for the code ${started.body.userCode}`,
    );
    expect(fromTerminal.stderr()).toContain("started from Rolecall's window or tray");
    expect((await runCli(['login', 'corp', '--cancel'], env)).code).toBe(0);
    const deadline = Date.now() + 10_000;
    let session = (await api('listSessions', {})).body[0];
    while (session.signingIn && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      session = (await api('listSessions', {})).body[0];
    }
    expect(session).not.toHaveProperty('signingIn');
    expect(session).not.toHaveProperty('signInError');
  });

  it('Ctrl-C cancels the sign-in it started and frees the session at once', async () => {
    const login = runLogin(env, ['corp', '--device-code', '--no-browser']);
    await printedCode(login);
    login.kill('SIGINT');
    expect(await login.done).toBe(1);
    expect(login.stderr()).toContain('Sign-in was cancelled.');
    expect((await api('listSessions', {})).body[0]).not.toHaveProperty('signIn');
    expect((await loginWithApprovedCode(env, fake, 'corp')).code).toBe(0);
  });
});

describe('an Identity Center that cannot be reached', SEVERAL_PROCESSES, () => {
  it('makes `profiles --refresh` say it could not connect, and fail', async () => {
    await fake.close();
    try {
      const result = await runCli(['profiles', '--refresh'], env);
      expect(result.stderr).toMatch(
        /corp: Could not connect to IAM Identity Center for ListAccounts \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\./,
      );
      expect(result.stderr).not.toContain('kept refusing');
      expect(result.stderr).toContain('rolecall: The roles of corp were not listed again');
      expect(result.code).toBe(1);
      // The list found before is still shown.
      expect(result.stdout).toContain('Account 01/Role1');
    } finally {
      fake = await startFakeIdentityCenter({ port });
    }
  });
});
