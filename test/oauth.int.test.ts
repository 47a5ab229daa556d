import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOAuth } from './fixtures/fake-oauth';
import { runCli, startCli, startServe } from './helpers/rolecall-process';
import { createWorkspace, type Workspace } from './helpers/workspace';

/**
 * `rolecall oauth` with real processes, a real keychain and the fake token endpoint: adding,
 * printing, serving, removing; rotating refresh tokens shared by a server and commands; and a
 * command killed with SIGKILL in the middle of an exchange.
 */
let ws: Workspace;
let fake: FakeOAuth;

beforeAll(async () => {
  ws = await createWorkspace();
});
afterAll(async () => {
  await ws?.dispose();
});
beforeEach(async () => {
  fake = await FakeOAuth.start();
});
afterEach(async () => {
  await runCli(['oauth', 'remove', 'api'], ws.env);
  await runCli(['oauth', 'remove', 'rt'], ws.env);
  await fake.close();
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('rolecall oauth', () => {
  it('adds a client-credentials token, prints it, lists it, serves it and removes it', async () => {
    fake.clients.set('cli', { secret: 'the-secret', auth: 'post' });
    const wrong = await runCli(
      [
        'oauth',
        'add',
        'api',
        '--token-url',
        fake.url,
        '--client-id',
        'cli',
        '--client-secret-stdin',
      ],
      ws.env,
      'the-secret\n',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      'answered HTTP 401 (invalid_client: Client authentication failed.)',
    );
    expect((await runCli(['oauth', 'list', '--json'], ws.env)).stdout.trim()).toBe('[]');

    const added = await runCli(
      [
        'oauth',
        'add',
        'api',
        '--token-url',
        fake.url,
        '--client-id',
        'cli',
        '--auth',
        'post',
        '--scope',
        'read',
        '--scope',
        'write',
        '--audience',
        'https://api.example',
        '--client-secret-stdin',
      ],
      ws.env,
      'the-secret\n',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain('Added token api (client credentials); it expires at');
    expect(fake.requests.at(-1)).toMatchObject({
      grant: 'client_credentials',
      auth: 'post',
      form: { scope: 'read write', audience: 'https://api.example' },
    });

    const printed = await runCli(['oauth', 'token', 'api'], ws.env);
    expect(printed.stdout).toBe(`${fake.issuedAccessTokens.at(-1)}\n`);
    const json = JSON.parse((await runCli(['oauth', 'token', 'api', '--json'], ws.env)).stdout);
    expect(json).toMatchObject({
      access_token: fake.issuedAccessTokens.at(-1),
      token_type: 'Bearer',
      scope: 'read write',
    });
    // Still fresh: printed from the keychain without asking the issuer again.
    expect(fake.requests.filter((request) => request.auth === 'post')).toHaveLength(1);

    const listed = await runCli(['oauth', 'list'], ws.env);
    expect(listed.stdout).toMatch(
      /^NAME +KIND +EXPIRES +RENEWED\napi +OAuth2 client credentials +\d{4}-/,
    );

    const serve = await startServe(ws.env);
    try {
      const bearer = (await runCli(['token'], ws.env)).stdout.trim();
      const response = await fetch(`${serve.info.url}oauth/api`, {
        headers: { authorization: bearer },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { access_token: string }).access_token).toBe(
        fake.issuedAccessTokens.at(-1),
      );
      const refused = await fetch(`${serve.info.url}oauth/api`);
      expect(refused.status).toBe(401);

      expect((await runCli(['oauth', 'remove', 'api'], ws.env)).code).toBe(0);
      const gone = await fetch(`${serve.info.url}oauth/api`, {
        headers: { authorization: bearer },
      });
      expect(gone.status).toBe(404);
    } finally {
      await serve.stop();
    }
    const again = await runCli(['oauth', 'token', 'api'], ws.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('No token is named "api"');
  }, 60_000);

  it('never sends a refresh token again after a command is killed during its exchange', async () => {
    fake.clients.set('app', { auth: 'basic' });
    const added = await runCli(
      [
        'oauth',
        'add',
        'rt',
        '--token-url',
        fake.url,
        '--client-id',
        'app',
        '--refresh-token-stdin',
        '--every',
        '1',
        '--lazy',
      ],
      ws.env,
      `${fake.issueRefreshToken('app')}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));

    fake.tricks.push({ kind: 'hang-after-use' });
    const cut = startCli(['oauth', 'token', 'rt'], ws.env);
    await until('the second exchange', () => fake.requests.length === 2);
    cut.kill('SIGKILL');
    expect(await cut.done).toBe(null);

    const after = await runCli(['oauth', 'token', 'rt'], ws.env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(
      'A renewal of token rt was cut off after its refresh token was sent (the process making it ended)',
    );
    expect(after.stderr).toContain('Give token rt a new refresh token');
    expect(fake.requests).toHaveLength(2);
    expect(fake.reuses).toBe(0);
  }, 60_000);

  it('shares one rotating refresh token between a server and commands without ever reusing it', async () => {
    fake.clients.set('app', { auth: 'basic' });
    fake.lifetimeSeconds = 2;
    fake.delayMs = 30;
    const added = await runCli(
      [
        'oauth',
        'add',
        'rt',
        '--token-url',
        fake.url,
        '--client-id',
        'app',
        '--refresh-token-stdin',
      ],
      ws.env,
      `${fake.issueRefreshToken('app')}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    const serve = await startServe(ws.env);
    try {
      const bearer = (await runCli(['token'], ws.env)).stdout.trim();
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const [commands, requests] = await Promise.all([
          Promise.all([1, 2, 3].map(() => runCli(['oauth', 'token', 'rt'], ws.env))),
          Promise.all(
            Array.from({ length: 20 }, () =>
              fetch(`${serve.info.url}oauth/rt`, { headers: { authorization: bearer } }),
            ),
          ),
        ]);
        for (const command of commands) expect(command.code, command.stderr).toBe(0);
        for (const response of requests) expect(response.status).toBe(200);
      }
      expect(fake.requests.length).toBeGreaterThan(3);
      expect(fake.reuses).toBe(0);
    } finally {
      await serve.stop();
    }
  }, 60_000);
});
