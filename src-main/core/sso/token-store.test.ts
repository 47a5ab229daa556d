import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore, type MemoryStore } from '../secrets/memory-store';
import { readCliToken, writeCliToken } from './cli-token-cache';
import { createSsoTokenStore, tokenAccount } from './token-store';
import type { SsoSessionRef, SsoToken } from './types';

let dir: string;
let secrets: MemoryStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rolecall-sso-store-'));
  secrets = createMemoryStore();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const session: SsoSessionRef = {
  name: 'corp',
  startUrl: 'https://corp.awsapps.com/start',
  region: 'eu-west-1',
};
const token = (overrides: Partial<SsoToken> = {}): SsoToken => ({
  accessToken: 'rolecall-access',
  expiresAt: Date.parse('2026-01-01T08:00:00Z'),
  refreshToken: 'rolecall-refresh',
  registration: {
    clientId: 'id',
    clientSecret: 'secret',
    expiresAt: Date.parse('2026-03-01T00:00:00Z'),
  },
  startUrl: session.startUrl,
  region: session.region,
  ...overrides,
});

describe('SSO token store', () => {
  it('keeps the whole token in the keychain and mirrors the access token for the AWS CLI', async () => {
    const store = createSsoTokenStore({ secrets, cliCacheDir: dir });
    await store.save(session, token());
    expect(JSON.parse(secrets.items.get(tokenAccount(session))!)).toEqual(token());
    expect(await readCliToken(session, dir)).toEqual({
      accessToken: 'rolecall-access',
      expiresAt: Date.parse('2026-01-01T08:00:00Z'),
      startUrl: session.startUrl,
      region: session.region,
    });
    expect(await store.load(session)).toEqual(token());
  });

  it('does not touch the AWS CLI cache when mirroring is off', async () => {
    const store = createSsoTokenStore({ secrets, cliCacheDir: dir, mirrorToCliCache: false });
    await store.save(session, token());
    expect(await readCliToken(session, dir)).toBeNull();
  });

  it('adopts a newer sign-in done with the AWS CLI, keeping its own refresh material', async () => {
    const store = createSsoTokenStore({ secrets, cliCacheDir: dir });
    await store.save(session, token());
    await writeCliToken(
      session,
      token({ accessToken: 'from-aws-cli', expiresAt: Date.parse('2026-01-01T12:00:00Z') }),
      dir,
    );
    const loaded = await store.load(session);
    expect(loaded).toMatchObject({ accessToken: 'from-aws-cli', refreshToken: 'rolecall-refresh' });
    expect(JSON.parse(secrets.items.get(tokenAccount(session))!).accessToken).toBe('from-aws-cli');
  });

  it('uses a token from `aws sso login` when Rolecall has none', async () => {
    const store = createSsoTokenStore({ secrets, cliCacheDir: dir });
    await writeCliToken(session, token({ accessToken: 'only-cli' }), dir);
    expect((await store.load(session))?.accessToken).toBe('only-cli');
  });

  it('removes the token from both places on sign-out', async () => {
    const store = createSsoTokenStore({ secrets, cliCacheDir: dir });
    await store.save(session, token());
    await store.remove(session);
    expect(await store.load(session)).toBeNull();
    expect(await readCliToken(session, dir)).toBeNull();
  });
});
