import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOAuth } from '../../../test/fixtures/fake-oauth';
import { Broker } from '../broker/broker';
import { resolverFor } from '../../../test/helpers/fake-source';
import { createMemoryStore, type MemoryStore } from '../secrets/memory-store';
import { TokenSourceError } from '../tokens/token-source';
import { exchangeJournal } from './exchange-journal';
import { oauthDefinitionSchema, type OAuthDefinition } from './oauth-definition';
import { readOAuthSecrets, writeOAuthSecrets } from './oauth-secrets';
import { createOAuthSource } from './oauth-source';

let fake: FakeOAuth;
let home: string;
let secrets: MemoryStore;

beforeEach(async () => {
  fake = await FakeOAuth.start();
  home = await mkdtemp(join(tmpdir(), 'rolecall-oauth-'));
  secrets = createMemoryStore();
});

afterEach(async () => {
  await fake.close();
  await rm(home, { recursive: true, force: true });
});

function definition(fields: Partial<OAuthDefinition> = {}): OAuthDefinition {
  return oauthDefinitionSchema.parse({
    name: 'api',
    kind: 'oauth2',
    tokenUrl: fake.url,
    clientId: 'cli',
    grant: 'client_credentials',
    ...fields,
  });
}

function source(fields: Partial<OAuthDefinition> = {}, store = secrets) {
  return createOAuthSource(definition(fields), { secrets: store, home, now: Date.now });
}

const context = () => ({ signal: new AbortController().signal });

async function failureOf(promise: Promise<unknown>): Promise<TokenSourceError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenSourceError);
  return error as TokenSourceError;
}

describe('client credentials', () => {
  it('authenticates with HTTP Basic by default and keeps the token in the keychain item', async () => {
    fake.clients.set('cli', { secret: 's3cr:t/+', auth: 'basic' });
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 's3cr:t/+' });
    const token = await source({ scopes: ['read', 'write'], audience: 'https://api' }).fetch(
      context(),
    );
    expect(token.accessToken).toBe(fake.issuedAccessTokens[0]);
    expect(token.scope).toBe('read write');
    expect(fake.requests[0]).toMatchObject({
      grant: 'client_credentials',
      auth: 'basic',
      form: { scope: 'read write', audience: 'https://api' },
    });
    expect((await readOAuthSecrets(secrets, 'api')).token?.set.accessToken).toBe(token.accessToken);
  });

  it('sends the secret in the form with auth post', async () => {
    fake.clients.set('cli', { secret: 'pw', auth: 'post' });
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 'pw' });
    await source({ auth: 'post', params: { resource: 'x' } }).fetch(context());
    expect(fake.requests[0]).toMatchObject({ auth: 'post', form: { resource: 'x' } });
  });

  it('says a wrong secret is refused, and stops', async () => {
    fake.clients.set('cli', { secret: 'right', auth: 'basic' });
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 'wrong' });
    const error = await failureOf(source().fetch(context()));
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(
      `The token endpoint of token api (${new URL(fake.url).origin}) answered HTTP 401 (invalid_client: Client authentication failed.); check the client ID and secret, scopes and audience, then run \`rolecall oauth add api\` again with the same options.`,
    );
  });

  it.each([
    [{ kind: 'error', status: 400, error: 'slow_down', retryAfter: '7' }, 7000],
    [{ kind: 'error', status: 429, retryAfter: '30' }, 30000],
    [{ kind: 'error', status: 503, error: 'temporarily_unavailable', retryAfter: '2' }, 2000],
    [{ kind: 'error', status: 503 }, undefined],
  ] as const)('retries later on %o, after Retry-After', async (trick, retryAfterMs) => {
    fake.clients.set('cli', { secret: 'pw', auth: 'basic' });
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 'pw' });
    fake.tricks.push(trick);
    const error = await failureOf(source().fetch(context()));
    expect(error.kind).toBe('retry');
    expect(error.retryAfterMs).toBe(retryAfterMs);
  });

  it('says an HTML page is no token answer', async () => {
    fake.clients.set('cli', { secret: 'pw', auth: 'basic' });
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 'pw' });
    fake.tricks.push({ kind: 'html' });
    const error = await failureOf(source().fetch(context()));
    expect(error.message).toContain(
      'answered HTTP 200 with an HTML page instead of a JSON token answer; check the token URL',
    );
  });

  it('takes a token without expires_in as one without expiry', async () => {
    fake.clients.set('cli', { secret: 'pw', auth: 'basic' });
    fake.lifetimeSeconds = null;
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 'pw' });
    expect((await source().fetch(context())).expiresAt).toBeUndefined();
  });
});

describe('refresh tokens', () => {
  beforeEach(() => fake.clients.set('app', { auth: 'basic' }));
  const refreshing = { clientId: 'app', grant: 'refresh_token' } as const;

  it('writes the rotated refresh token to the keychain before serving the access token', async () => {
    const first = fake.issueRefreshToken('app');
    await writeOAuthSecrets(secrets, 'api', { refreshToken: first });
    const token = await source(refreshing).fetch(context());
    const held = await readOAuthSecrets(secrets, 'api');
    expect(held.refreshToken).toBe(fake.issuedRefreshTokens[1]);
    expect(held.token?.set.accessToken).toBe(token.accessToken);
    expect(fake.requests[0]).toMatchObject({ auth: 'none', form: { client_id: 'app' } });
  });

  it('serves nothing when the keychain cannot take the rotated token, and never sends the old one again', async () => {
    await writeOAuthSecrets(secrets, 'api', { refreshToken: fake.issueRefreshToken('app') });
    const failing: MemoryStore = {
      ...secrets,
      set: () => Promise.reject(new Error('The keychain is locked.')),
    };
    await expect(source(refreshing, failing).fetch(context())).rejects.toThrow('locked');
    const error = await failureOf(source(refreshing).fetch(context()));
    expect(error.kind).toBe('needs-input');
    expect(fake.reuses).toBe(0);
    expect(fake.requests).toHaveLength(1);
  });

  it('falls back to client credentials when the refresh token is refused', async () => {
    fake.clients.set('app', { secret: 'pw', auth: 'basic' });
    await writeOAuthSecrets(secrets, 'api', { clientSecret: 'pw', refreshToken: 'rt-unknown' });
    const warnings: string[] = [];
    const token = await createOAuthSource(definition(refreshing), {
      secrets,
      home,
      now: Date.now,
      onWarning: (message) => warnings.push(message),
    }).fetch(context());
    expect(token.accessToken).toBe(fake.issuedAccessTokens[0]);
    expect(fake.requests.map((request) => request.grant)).toEqual([
      'refresh_token',
      'client_credentials',
    ]);
    expect(warnings[0]).toContain('refused the refresh token of token api');
    expect((await readOAuthSecrets(secrets, 'api')).refreshToken).toBeUndefined();
  });

  it('asks a person for a new refresh token when it is refused and there is no client secret', async () => {
    await writeOAuthSecrets(secrets, 'api', { refreshToken: 'rt-unknown' });
    const error = await failureOf(source(refreshing).fetch(context()));
    expect(error.kind).toBe('needs-input');
    expect(error.message).toBe(
      `${new URL(fake.url).origin} refused the refresh token of token api, answering HTTP 400 (invalid_grant: Unknown refresh token.) Give token api a new refresh token: run \`rolecall oauth add api\` again with the same options and --refresh-token-stdin.`,
    );
  });

  it('never sends a refresh token again whose exchange got no answer', async () => {
    await writeOAuthSecrets(secrets, 'api', { refreshToken: fake.issueRefreshToken('app') });
    fake.tricks.push({ kind: 'hang-after-use' });
    const abort = new AbortController();
    const fetching = source(refreshing).fetch({ signal: abort.signal });
    await waitFor(() => fake.requests.length === 1);
    abort.abort();
    expect((await failureOf(fetching)).kind).toBe('needs-input');
    expect((await failureOf(source(refreshing).fetch(context()))).kind).toBe('needs-input');
    expect(fake.requests).toHaveLength(1);
  });

  it('never sends a refresh token whose exchange a dead process left unfinished', async () => {
    const refreshToken = fake.issueRefreshToken('app');
    await writeOAuthSecrets(secrets, 'api', { refreshToken });
    await exchangeJournal(home, 'api').begin(refreshToken);
    const error = await failureOf(source(refreshing).fetch(context()));
    expect(error.message).toContain(
      'A renewal of token api was cut off after its refresh token was sent',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('forgets a note of an exchange that finished with the keychain written', async () => {
    await writeOAuthSecrets(secrets, 'api', { refreshToken: fake.issueRefreshToken('app') });
    await exchangeJournal(home, 'api').begin('rt-an-older-one');
    await source(refreshing).fetch(context());
    expect(fake.requests).toHaveLength(1);
    await expect(readFile(join(home, 'oauth', 'api.exchange'))).rejects.toThrow();
  });

  it('never reuses a rotated refresh token under 100 concurrent requests from two processes', async () => {
    await writeOAuthSecrets(secrets, 'api', { refreshToken: fake.issueRefreshToken('app') });
    fake.delayMs = 20;
    fake.lifetimeSeconds = 1;
    const brokers = [1, 2].map(() => new Broker({ resolveSource: resolverFor() }));
    for (const broker of brokers) {
      broker.tokens.set('api', source(refreshing), {
        beforeExpiryMs: null,
        everyMs: null,
        lazy: true,
      });
    }
    for (let round = 0; round < 3; round += 1) {
      const served = await Promise.all(
        Array.from({ length: 100 }, (_, index) => brokers[index % 2]!.tokens.tokenFor('api')),
      );
      expect(served.every((token) => fake.issuedAccessTokens.includes(token.accessToken))).toBe(
        true,
      );
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    for (const broker of brokers) broker.stop();
    expect(fake.reuses).toBe(0);
    expect(fake.requests.length).toBeGreaterThanOrEqual(3);
    expect(fake.requests.length).toBeLessThanOrEqual(6);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 200) throw new Error('waited too long');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
