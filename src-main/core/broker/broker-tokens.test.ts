import { describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials, resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { TokenSourceError, type TokenSet, type TokenSource } from '../tokens/token-source';
import type { TokenRefreshStrategy } from '../tokens/token-refresh-plan';
import { Broker } from './broker';

const SECOND = 1000;
const HOUR = 3600 * SECOND;

/** A token source whose answers the test scripts; each fetch is timed from the start. */
class ScriptedTokens implements TokenSource {
  readonly description = 'scripted';
  fetchedAt: number[] = [];
  /** What each fetch returns next: a lifetime in ms (undefined: no expiry) or an error. */
  script: Array<number | undefined | Error> = [];
  lifetime: number | undefined = HOUR;
  holding: Array<() => void> | null = null;

  constructor(private readonly clock: ManualClock) {}

  async fetch(): Promise<TokenSet> {
    this.fetchedAt.push(this.clock.now());
    if (this.holding) await new Promise<void>((resolve) => this.holding!.push(resolve));
    const next = this.script.length > 0 ? this.script.shift() : this.lifetime;
    if (next instanceof Error) throw next;
    return {
      accessToken: `token-${this.fetchedAt.length}`,
      tokenType: 'Bearer',
      ...(next === undefined ? {} : { expiresAt: this.clock.now() + next }),
    };
  }
}

function setup(strategy: Partial<TokenRefreshStrategy> = {}) {
  const clock = new ManualClock();
  const start = clock.now();
  const broker = new Broker({ clock, resolveSource: resolverFor(), random: () => 0 });
  const source = new ScriptedTokens(clock);
  const at = () => source.fetchedAt.map((time) => (time - start) / SECOND);
  const add = () =>
    broker.tokens.set('api', source, {
      beforeExpiryMs: null,
      everyMs: null,
      lazy: false,
      ...strategy,
    });
  return { clock, broker, source, at, add, start };
}

describe('bearer tokens in the broker', () => {
  it('renews before expiry by default: 10 % of an hour ahead, again and again', async () => {
    const { clock, at, add } = setup();
    add();
    await clock.advance(3 * HOUR);
    expect(at()).toEqual([0, 3240, 6480, 9720]);
  });

  it('renews the given number of seconds ahead, never more than half the lifetime', async () => {
    const { clock, source, at, add } = setup({ beforeExpiryMs: 600 * SECOND });
    source.lifetime = 1000 * SECOND;
    add();
    await clock.advance(2000 * SECOND);
    expect(at()).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('renews every N seconds, and every 300 s by default for tokens without expiry', async () => {
    const every = setup({ everyMs: 45 * SECOND });
    every.source.lifetime = undefined;
    every.add();
    await every.clock.advance(100 * SECOND);
    expect(every.at()).toEqual([0, 45, 90]);

    const unsaid = setup();
    unsaid.source.lifetime = undefined;
    unsaid.add();
    await unsaid.clock.advance(700 * SECOND);
    expect(unsaid.at()).toEqual([0, 300, 600]);
  });

  it('with both, renews at whichever comes first', async () => {
    const { clock, at, add } = setup({ everyMs: 1000 * SECOND, beforeExpiryMs: 60 * SECOND });
    add();
    await clock.advance(2100 * SECOND);
    expect(at()).toEqual([0, 1000, 2000]);
  });

  it('lazy: nothing renews on a timer; a request past the renewal point waits for one renewal', async () => {
    const { clock, broker, at, add } = setup({ lazy: true });
    add();
    await clock.advance(10 * SECOND);
    expect(at()).toEqual([]);
    expect((await broker.tokens.tokenFor('api')).accessToken).toBe('token-1');
    await clock.advance(2 * HOUR);
    expect(at()).toEqual([10]);
    const served = await Promise.all([1, 2, 3].map(() => broker.tokens.tokenFor('api')));
    expect(served.map((token) => token.accessToken)).toEqual(['token-2', 'token-2', 'token-2']);
    expect(at()).toEqual([10, 7210]);
  });

  it('shares one renewal among 100 concurrent requests', async () => {
    const { broker, source, add } = setup({ lazy: true });
    source.holding = [];
    add();
    const requests = Array.from({ length: 100 }, () => broker.tokens.tokenFor('api'));
    await new Promise((resolve) => setImmediate(resolve));
    for (const resolve of source.holding.splice(0)) resolve();
    source.holding = null;
    const tokens = await Promise.all(requests);
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['token-1']));
    expect(source.fetchedAt).toHaveLength(1);
  });

  it('backs off after a failure, at least as long as Retry-After asks', async () => {
    const { clock, source, at, add } = setup();
    source.script = [
      new TokenSourceError('retry', 'The issuer asked to slow down.', {
        retryAfterMs: 120 * SECOND,
      }),
      new Error('socket hang up'),
    ];
    add();
    await clock.advance(200 * SECOND);
    // 0 fails (Retry-After 120 s beats the 5 s backoff); 120 fails (backoff 10 s); 130 succeeds.
    expect(at()).toEqual([0, 120, 130]);
  });

  it('stops renewing when a person must act, serves what is valid, then says why it cannot', async () => {
    const { clock, broker, source, at, add } = setup();
    source.script = [
      HOUR,
      new TokenSourceError('needs-input', 'The issuer refused the refresh token; give a new one.'),
    ];
    add();
    await clock.advance(3300 * SECOND);
    expect(at()).toEqual([0, 3240]);
    expect(broker.tokens.views()[0]).toMatchObject({
      state: 'needs-input',
      nextRefreshAt: null,
      lastError: 'The issuer refused the refresh token; give a new one.',
    });
    expect((await broker.tokens.tokenFor('api')).accessToken).toBe('token-1');
    await clock.advance(HOUR);
    expect(at()).toEqual([0, 3240]);
    await expect(broker.tokens.tokenFor('api')).rejects.toThrow(
      'Token api is not available: The token held has expired. The issuer refused the refresh token; give a new one.',
    );
    await broker.tokens.renewNow('api');
    expect(broker.tokens.views()[0]!.state).toBe('fresh');
  });

  it('shares the one timer with credentials', async () => {
    const { clock, broker, add } = setup();
    add();
    await clock.advance(SECOND);
    const source = new FakeSource('dev', fakeCredentials({ expiresAt: clock.now() + HOUR }));
    const withProfile = new Broker({ clock, resolveSource: resolverFor(source), random: () => 0 });
    withProfile.tokens.set('api', new ScriptedTokens(clock), {
      beforeExpiryMs: null,
      everyMs: null,
      lazy: false,
    });
    await withProfile.load('dev');
    await clock.advance(SECOND);
    broker.stop();
    expect(clock.pendingTimers).toBe(1);
    withProfile.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('answers an unknown name with a 404 in words', async () => {
    const { broker } = setup();
    await expect(broker.tokens.tokenFor('nope')).rejects.toMatchObject({
      status: 404,
      message: 'No token is named "nope"; `rolecall oauth list` names those there are.',
    });
  });
});
