import { describe, expect, it, vi } from 'vitest';
import { resolverFor } from '../../test/helpers/fake-source';
import { ManualClock } from '../../test/helpers/manual-clock';
import type { Snapshot } from '../../src-shared/snapshot';
import { createCore } from './core';
import { createMemoryStore } from './secrets/memory-store';
import { TokenSourceError, type TokenSet, type TokenSource } from './tokens/token-source';

const HOUR = 3_600_000;

/** A token source that answers what the test says next, with a secret-looking token. */
class NextAnswer implements TokenSource {
  readonly description = 'OAuth2 client credentials';
  next: Error | null = null;
  fetches = 0;
  constructor(private readonly clock: ManualClock) {}
  async fetch(): Promise<TokenSet> {
    this.fetches += 1;
    if (this.next) throw this.next;
    return {
      accessToken: 'secret-access-token',
      tokenType: 'Bearer',
      expiresAt: this.clock.now() + HOUR,
    };
  }
}

function setup(removeToken?: (name: string) => Promise<boolean>) {
  const clock = new ManualClock();
  const core = createCore({
    secrets: createMemoryStore(),
    clock,
    resolveSource: resolverFor(),
    ...(removeToken ? { removeToken } : {}),
  });
  const source = new NextAnswer(clock);
  const strategy = { beforeExpiryMs: null, everyMs: null, lazy: false };
  const add = async () => {
    core.broker.tokens.set('api', source, strategy);
    // The first fetch starts on the broker's timer.
    await clock.advance(0);
  };
  return { clock, core, source, add };
}

describe('tokens in the snapshot and the API', () => {
  it('leaves tokens out of the snapshot when none are defined', async () => {
    const { core } = setup();
    expect(await core.api.getSnapshot(undefined)).not.toHaveProperty('tokens');
  });

  it("shows each token's state, expiry and refresh point, and never the token", async () => {
    const { core, clock, add } = setup();
    await add();
    const snapshot = await core.api.getSnapshot(undefined);
    expect(snapshot.tokens).toEqual([
      {
        name: 'api',
        description: 'OAuth2 client credentials',
        state: 'fresh',
        expiresAt: new Date(clock.now() + HOUR).toISOString(),
        refreshedAt: new Date(clock.now()).toISOString(),
        nextRefreshAt: expect.any(String),
        lastError: null,
        lazy: false,
        renewable: true,
      },
    ]);
    // Before the expiry, with the jitter a renewal plan has.
    const nextRefresh = Date.parse(snapshot.tokens![0]!.nextRefreshAt!);
    expect(nextRefresh).toBeGreaterThan(clock.now());
    expect(nextRefresh).toBeLessThan(clock.now() + HOUR);
    expect(JSON.stringify(snapshot)).not.toContain('secret-access-token');
  });

  it('pushes a snapshot to the UIs when a token changes', async () => {
    const { core, add } = setup();
    const pushed: Snapshot[] = [];
    core.broker.on('changed', (snapshot) => pushed.push(snapshot));
    await add();
    await vi.waitFor(() => expect(pushed.at(-1)?.tokens?.[0]?.state).toBe('fresh'));
  });

  it('says a token whose renewals stopped is not renewable, and renews it when asked', async () => {
    const { core, source, add } = setup();
    source.next = new TokenSourceError('needs-input', 'The issuer refused the refresh token.');
    await add();
    await vi.waitFor(() =>
      expect(core.broker.tokens.views()[0]).toMatchObject({
        state: 'needs-input',
        renewable: false,
      }),
    );
    source.next = null;
    const snapshot = await core.api.renewToken({ name: 'api' });
    expect(snapshot.tokens?.[0]).toMatchObject({
      state: 'fresh',
      renewable: true,
      lastError: null,
    });
  });

  it("answers a renewal the issuer refuses with the issuer's words", async () => {
    const { core, source, add } = setup();
    await add();
    expect(source.fetches).toBe(1);
    source.next = new TokenSourceError('refused', 'The issuer refused the client: invalid_client.');
    await expect(core.api.renewToken({ name: 'api' })).rejects.toThrow(/invalid_client/);
  });

  it('says which token does not exist when asked to renew it', async () => {
    const { core } = setup();
    await expect(core.api.renewToken({ name: 'nope' })).rejects.toThrow(/No token is named "nope"/);
  });

  it('removes a token through the host, and says so when there was none', async () => {
    const removed: string[] = [];
    const { core } = setup(async (name) => {
      removed.push(name);
      return name === 'api';
    });
    await core.api.removeToken({ name: 'api' });
    expect(removed).toEqual(['api']);
    await expect(core.api.removeToken({ name: 'other' })).rejects.toThrow(
      /No token is named "other"/,
    );
  });

  it('says removing is unavailable where the core has no token home', async () => {
    const { core } = setup();
    await expect(core.api.removeToken({ name: 'api' })).rejects.toThrow(/not available/);
  });
});
