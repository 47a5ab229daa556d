import { describe, expect, it } from 'vitest';
import type { InputRequestView } from '../../../src-shared/input-request';
import { MfaSource, ParentedSource, memoryBrokerStore } from '../../../test/helpers/chain-sources';
import { resolverFor } from '../../../test/helpers/fake-source';
import { ManualClock, settle } from '../../../test/helpers/manual-clock';
import type { CredentialSource } from '../sources/source';
import { Broker, type BrokerEvents } from './broker';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const KEY = 'mfa:arn:aws:iam::123456789012:mfa/alice';
const PROMPT = 'Enter the MFA code of arn:aws:iam::123456789012:mfa/alice';

function setup(
  sources: (clock: ManualClock) => CredentialSource[],
  options: { clock?: ManualClock; store?: ReturnType<typeof memoryBrokerStore> } = {},
) {
  const clock = options.clock ?? new ManualClock();
  const broker = new Broker({
    clock,
    resolveSource: resolverFor(...sources(clock)),
    random: () => 0,
    ...(options.store ? { store: options.store.store } : {}),
  });
  const start = clock.now();
  const events: string[] = [];
  const asked: InputRequestView[] = [];
  const ended: Array<BrokerEvents['input-ended'][0]> = [];
  const failed: Array<BrokerEvents['refresh-failed'][0]> = [];
  broker.on('input-required', (view) => {
    asked.push(view);
    events.push(`asked ${view.key}${view.retryReason ? ` (${view.retryReason})` : ''}`);
  });
  broker.on('input-ended', (event) => {
    ended.push(event);
    events.push(`${event.outcome} ${event.key}`);
  });
  broker.on('refresh-failed', (event) => failed.push(event));
  for (const name of ['expiring-soon', 'expired'] as const) {
    broker.on(name, ({ profile }) =>
      events.push(`${name} ${profile} @${(clock.now() - start) / MINUTE}m`),
    );
  }
  return { clock, broker, start, events, asked, ended, failed };
}

/** What a load settled with: its outcome, or its error's message. */
function outcomeOf(load: Promise<unknown>) {
  return load.then(
    () => 'loaded',
    (error: Error) => error.message,
  );
}

describe('Broker questions', () => {
  it('asks one question for ten loads of children of one MFA parent, and one answer loads them all', async () => {
    let keys!: MfaSource;
    const children: ParentedSource[] = [];
    const { broker, asked, events } = setup((clock) => {
      keys = new MfaSource('keys', clock);
      for (let i = 0; i < 10; i += 1)
        children.push(new ParentedSource(`role${i}`, ['keys'], clock));
      return [keys, ...children];
    });

    const loads = children.map((child) => broker.load(child.profile, { slot: true }));
    await settle();

    const snapshot = broker.snapshot();
    expect(snapshot.inputRequests).toEqual([
      {
        key: KEY,
        kind: 'mfa-code',
        prompt: PROMPT,
        mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
        waiting: ['keys', ...children.map((child) => child.profile)],
        since: '2026-01-01T00:00:00.000Z',
      },
    ]);
    expect(
      new Set(snapshot.entries.map((entry) => [entry.state, entry.waitingFor].join(' '))),
    ).toEqual(new Set([`needs-input ${KEY}`]));
    expect(asked).toHaveLength(1);

    broker.answerInput(KEY, '123456');
    await Promise.all(loads);
    expect(keys.calls).toBe(1);
    expect(keys.codesTried).toEqual(['123456']);
    expect(events).toEqual([`asked ${KEY}`, `answered ${KEY}`]);
    expect(broker.snapshot().inputRequests).toBeUndefined();
    expect(broker.snapshot().slots).toHaveLength(10);
  });

  it('shares one question between profiles that ask the same key, through a wrong answer too', async () => {
    const sources: MfaSource[] = [];
    const { broker, asked, events } = setup((clock) => {
      // Two roles with the same mfa_serial, each asking for its own renewal.
      sources.push(new MfaSource('admin', clock), new MfaSource('audit', clock));
      return sources;
    });
    const loads = sources.map((source) => broker.load(source.profile, { slot: true }));
    await settle();
    // Asked once, by the first; the second joins it.
    expect(asked).toMatchObject([{ key: KEY, waiting: ['admin'] }]);
    expect(broker.snapshot().inputRequests).toMatchObject([{ waiting: ['admin', 'audit'] }]);

    broker.answerInput(KEY, '111111');
    await settle();
    expect(broker.snapshot().inputRequests).toMatchObject([
      { retryReason: 'AWS refused the MFA code 111111', waiting: ['admin', 'audit'] },
    ]);
    broker.answerInput(KEY, '123456');
    await Promise.all(loads);
    expect(sources.map((source) => source.codesTried)).toEqual([
      ['111111', '123456'],
      ['111111', '123456'],
    ]);
    expect(events).toEqual([
      `asked ${KEY}`,
      `answered ${KEY}`,
      `asked ${KEY} (AWS refused the MFA code 111111)`,
      `answered ${KEY}`,
    ]);
  });

  it('asks one question for ten requests that find the credentials expired after a restart', async () => {
    const clock = new ManualClock();
    const kept = memoryBrokerStore();
    const first = setup((clock) => [new MfaSource('keys', clock, { lifetimeMs: HOUR })], {
      clock,
      store: kept,
    });
    await first.broker.load('keys', { mfaCode: '123456' });
    first.broker.stop();

    await clock.advance(2 * HOUR);
    let keys!: MfaSource;
    const second = setup((clock) => [(keys = new MfaSource('keys', clock, { lifetimeMs: HOUR }))], {
      clock,
      store: kept,
    });
    await second.broker.restore();
    const requests = Array.from({ length: 10 }, () =>
      second.broker.credentialsFor({ kind: 'default' }),
    );
    await settle();
    expect(second.asked).toHaveLength(1);
    expect(second.broker.snapshot().inputRequests?.[0]?.waiting).toEqual(['keys']);

    second.broker.answerInput(KEY, '123456');
    const answers = await Promise.all(requests);
    expect(new Set(answers.map((answer) => answer.credentials.accessKeyId)).size).toBe(1);
    expect(keys.calls).toBe(1);
  });

  it('asks again after a wrong answer, as the same question with the reason, and a right one loads', async () => {
    let keys!: MfaSource;
    const { broker, events } = setup((clock) => [(keys = new MfaSource('keys', clock))]);
    const load = outcomeOf(broker.load('keys'));
    await settle();

    // Not a code at all: refused in words, and the question stays open.
    expect(() => broker.answerInput(KEY, 'hunter2')).toThrow(
      `The answer to “${PROMPT}” must be the 6 digits your MFA device shows; the question is still open.`,
    );
    broker.answerInput(KEY, '000000');
    await settle();
    expect(broker.snapshot().inputRequests).toMatchObject([
      { key: KEY, retryReason: 'AWS refused the MFA code 000000', waiting: ['keys'] },
    ]);
    expect(broker.snapshot().entries[0]).toMatchObject({ state: 'needs-input', waitingFor: KEY });

    broker.answerInput(KEY, '123456');
    expect(await load).toBe('loaded');
    expect(keys.calls).toBe(1);
    expect(events).toEqual([
      `asked ${KEY}`,
      `answered ${KEY}`,
      `asked ${KEY} (AWS refused the MFA code 000000)`,
      `answered ${KEY}`,
    ]);
    expect(() => broker.answerInput(KEY, '123456')).toThrow(
      `No question with the key ${KEY} is waiting for an answer; it may have been answered, dismissed or withdrawn already.`,
    );
  });

  it('publishes the finished load last: a window sees the role served and no load in flight', async () => {
    const { broker } = setup((clock) => [
      new MfaSource('keys', clock),
      new ParentedSource('admin', ['keys'], clock),
    ]);
    const seen: Array<ReturnType<Broker['snapshot']>> = [];
    broker.on('changed', (snapshot) => seen.push(snapshot));
    const load = outcomeOf(broker.load('admin'));
    await settle();
    broker.answerInput(KEY, '000000');
    await settle();
    broker.answerInput(KEY, '123456');
    expect(await load).toBe('loaded');
    await settle();

    const last = seen.at(-1)!;
    expect(last.loading).toBeUndefined();
    expect(last.defaultProfile).toBe('admin');
    expect(last.entries.find((entry) => entry.profile === 'admin')?.state).toBe('fresh');
  });

  it('pre-answers the first MFA question of a load with its code, up the chain', async () => {
    let keys!: MfaSource;
    const { broker, asked } = setup((clock) => [
      (keys = new MfaSource('keys', clock)),
      new ParentedSource('admin', ['keys'], clock),
    ]);
    await broker.load('admin', { mfaCode: '123456' });
    expect(asked).toEqual([]);
    expect(keys.codesTried).toEqual(['123456']);
  });

  it('answers a question already open with the code of a load that joins it', async () => {
    let keys!: MfaSource;
    const { broker, ended } = setup((clock) => [
      (keys = new MfaSource('keys', clock)),
      new ParentedSource('admin', ['keys'], clock),
      new ParentedSource('audit', ['keys'], clock),
    ]);
    const waiting = broker.load('admin', { slot: true });
    await settle();
    await broker.load('audit', { slot: true, mfaCode: '123456' });
    await waiting;
    expect(keys.calls).toBe(1);
    expect(ended.map((event) => event.outcome)).toEqual(['answered']);
  });

  it('asks again, after a wrong code given up front, as a question for a person', async () => {
    const { broker, asked } = setup((clock) => [new MfaSource('keys', clock)]);
    const load = outcomeOf(broker.load('keys', { mfaCode: '999999' }));
    await settle();
    expect(asked).toMatchObject([{ key: KEY, retryReason: 'AWS refused the MFA code 999999' }]);
    broker.answerInput(KEY, '123456');
    expect(await load).toBe('loaded');
  });

  it('fails a load whose question is dismissed with a sentence, and keeps nothing', async () => {
    const { broker, ended } = setup((clock) => [
      new MfaSource('keys', clock),
      new ParentedSource('admin', ['keys'], clock),
    ]);
    const load = outcomeOf(broker.load('admin'));
    await settle();
    broker.dismissInput(KEY);
    expect(await load).toBe(
      `Could not renew keys, which admin is made from: Nobody answered “${PROMPT}” (it was dismissed), so keys was not renewed; nothing is served for it, and Rolecall asks again only when a load needs it.`,
    );
    expect(ended).toMatchObject([{ key: KEY, outcome: 'dismissed', waiting: ['admin', 'keys'] }]);
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
  });

  it('serves what is valid while a background renewal waits for a person, and asks nothing again by itself', async () => {
    let keys!: MfaSource;
    let admin!: ParentedSource;
    const { broker, clock, events, failed, asked } = setup((clock) => [
      (keys = new MfaSource('keys', clock, { lifetimeMs: HOUR })),
      (admin = new ParentedSource('admin', ['keys'], clock, HOUR)),
    ]);
    await broker.load('keys', { mfaCode: '123456' });
    await broker.load('admin', { slot: true });
    const held = broker.peek('keys');

    // At 40 minutes keys is due, and asks; admin, due too, is made from keys' valid credentials.
    await clock.advance(40 * MINUTE);
    expect(asked).toMatchObject([{ key: KEY, waiting: ['keys'] }]);
    expect(broker.snapshot().entries).toMatchObject([
      { profile: 'admin', state: 'fresh', refreshCount: 2 },
      { profile: 'keys', state: 'needs-input', waitingFor: KEY },
    ]);
    expect(admin.given.at(-1)).toEqual([held]);
    // Requests are answered at once, from what is valid, on the fast path too.
    expect((await broker.credentialsFor({ kind: 'default' })).credentials).toEqual(held);
    expect(broker.servableNow({ kind: 'default' })?.credentials).toEqual(held);

    // Nobody answers: warned at 45 minutes, given up at 55 (the 15-minute bound), expired at 60.
    // admin, due at 80 minutes, finds nothing valid to be made from, and stops too.
    await clock.advance(3 * HOUR);
    expect(events).toEqual([
      `asked ${KEY}`,
      'expiring-soon keys @45m',
      `unanswered ${KEY}`,
      'expired keys @60m',
      'expiring-soon admin @85m',
      'expired admin @100m',
    ]);
    expect(failed.filter((event) => event.profile === 'keys')).toEqual([
      {
        profile: 'keys',
        error: `Nobody answered “${PROMPT}” within 15 minutes, so keys was not renewed; its current credentials are served until 2026-01-01T01:00:00.000Z, and Rolecall asks again only when a load needs it.`,
        failures: 1,
        nextAttemptAt: null,
        stillServing: true,
        expiresAt: Date.parse('2026-01-01T01:00:00Z'),
        needsPerson: true,
      },
    ]);
    // No loop: one question, one fetch of keys since the load, and admin stopped once keys died.
    expect(keys.calls).toBe(2);
    expect(asked).toHaveLength(1);
    expect(broker.snapshot().entries).toMatchObject([
      { profile: 'admin', state: 'expired', nextRefreshAt: null },
      { profile: 'keys', state: 'expired', nextRefreshAt: null },
    ]);
    await expect(broker.credentialsFor({ kind: 'named', profile: 'admin' })).rejects.toThrow(
      /Renewing them failed: keys, which admin is made from, has no valid credentials: Nobody answered/,
    );

    // A load asks again; once keys is renewed, admin, which stopped for want of it, resumes.
    const again = broker.load('keys', { mfaCode: '123456' });
    await again;
    await clock.advance(0);
    expect(broker.snapshot().entries).toMatchObject([
      { profile: 'admin', state: 'fresh' },
      { profile: 'keys', state: 'fresh' },
    ]);
  });

  it('tells a request with nothing valid that the renewal waits for an answer', async () => {
    const { broker, clock } = setup((clock) => [
      new MfaSource('keys', clock, { lifetimeMs: 10 * MINUTE }),
    ]);
    await broker.load('keys', { mfaCode: '123456' });
    // Renewed at half their life: asks at 5 minutes; they expire at 10, the question still open.
    await clock.advance(11 * MINUTE);
    const request = broker.credentialsFor({ kind: 'default' }).catch((error: Error) => error);
    // The request waits the usual 15 seconds, in case the answer comes.
    await clock.advance(15 * SECOND);
    expect(await request).toMatchObject({
      status: 503,
      message: `The credentials for profile keys expired at 2026-01-01T00:10:00.000Z. Renewing them waits for an answer to “${PROMPT}”; answer it, and ask again.`,
    });
  });

  it('fails a question nobody answers after 15 minutes, and the fetch time-out does not count that wait', async () => {
    const { broker, clock, ended } = setup((clock) => [new MfaSource('keys', clock)]);
    const load = outcomeOf(broker.load('keys'));
    // Past the 2-minute fetch time-out: still asking.
    await clock.advance(14 * MINUTE);
    expect(broker.snapshot().inputRequests).toHaveLength(1);
    await clock.advance(MINUTE);
    expect(await load).toBe(
      `Nobody answered “${PROMPT}” within 15 minutes, so keys was not renewed; nothing is served for it, and Rolecall asks again only when a load needs it.`,
    );
    expect(ended).toMatchObject([{ outcome: 'unanswered', waiting: ['keys'] }]);
    expect(broker.snapshot().entries).toEqual([]);
  });

  it('still fails a source that hangs after its answer, counting only the time it was not waiting', async () => {
    const clock = new ManualClock();
    const start = clock.now();
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    const hanging: CredentialSource = {
      profile: 'keys',
      fetch: async (context) => {
        await sleep(90 * SECOND);
        await context!.ask({ key: KEY, kind: 'mfa-code', prompt: PROMPT });
        return new Promise(() => {});
      },
    };
    const { broker } = setup(() => [hanging], { clock });
    let failedAt = 0;
    const load = outcomeOf(broker.load('keys')).finally(() => (failedAt = clock.now() - start));
    await clock.advance(90 * SECOND + 10 * MINUTE);
    broker.answerInput(KEY, '123456');
    await clock.advance(10 * MINUTE);
    expect(await load).toBe('The source of profile keys did not answer within 120 s.');
    // 90 s before the question, 30 s after the answer: the question's 10 minutes did not count.
    expect(failedAt).toBe(2 * MINUTE + 10 * MINUTE);
  });

  it('withdraws the question of a cancelled load unless another load still waits on it', async () => {
    const { broker, ended } = setup((clock) => [
      new MfaSource('keys', clock),
      new ParentedSource('admin', ['keys'], clock),
      new ParentedSource('audit', ['keys'], clock),
    ]);
    const leaving = new AbortController();
    const left = outcomeOf(broker.load('admin', { slot: true, signal: leaving.signal }));
    const staying = broker.load('audit', { slot: true });
    await settle();

    leaving.abort();
    expect(await left).toBe('Loading admin was cancelled.');
    expect(broker.snapshot().inputRequests).toMatchObject([{ waiting: ['audit', 'keys'] }]);

    broker.answerInput(KEY, '123456');
    await staying;
    expect(ended.map((event) => event.outcome)).toEqual(['answered']);
  });

  it('withdraws the question of the last load to leave, and stops its fetch', async () => {
    let keys!: MfaSource;
    const { broker, ended } = setup((clock) => [
      (keys = new MfaSource('keys', clock)),
      new ParentedSource('admin', ['keys'], clock),
    ]);
    const caller = new AbortController();
    const load = outcomeOf(broker.load('admin', { signal: caller.signal }));
    await settle();
    caller.abort();
    expect(await load).toBe('Loading admin was cancelled.');
    await settle();
    expect(ended).toMatchObject([{ key: KEY, outcome: 'withdrawn', waiting: [] }]);
    expect(broker.snapshot()).toEqual({
      defaultProfile: null,
      slots: [],
      entries: [],
      revision: expect.any(Number),
    });
    expect(keys.codesTried).toEqual([]);
  });

  it('withdraws the question when the profile asking is unloaded', async () => {
    const { broker, ended } = setup((clock) => [new MfaSource('keys', clock)]);
    const load = outcomeOf(broker.load('keys', { slot: true }));
    await settle();
    broker.unload('keys');
    expect(await load).toMatch(/^Profile keys was unloaded while it was loading/);
    expect(ended.map((event) => event.outcome)).toEqual(['withdrawn']);
    expect(broker.snapshot().inputRequests).toBeUndefined();
  });

  it('survives a restart while valid: no fetch and no question for the parent or the child', async () => {
    const clock = new ManualClock();
    const kept = memoryBrokerStore();
    const first = setup(
      (clock) => [
        new MfaSource('keys', clock, { lifetimeMs: 12 * HOUR }),
        new ParentedSource('admin', ['keys'], clock, HOUR),
      ],
      { clock, store: kept },
    );
    await first.broker.load('admin', { mfaCode: '123456' });
    first.broker.stop();

    await clock.advance(10 * MINUTE);
    let keys!: MfaSource, admin!: ParentedSource;
    const second = setup(
      (clock) => [
        (keys = new MfaSource('keys', clock, { lifetimeMs: 12 * HOUR })),
        (admin = new ParentedSource('admin', ['keys'], clock, HOUR)),
      ],
      { clock, store: kept },
    );
    await second.broker.restore();
    await second.broker.credentialsFor({ kind: 'default' });
    // admin renews at 40, 80 and 120 minutes from the keys held in the "keychain"; keys itself
    // is not due for hours.
    await clock.advance(2 * HOUR);
    expect([keys.calls, admin.calls]).toEqual([0, 3]);
    expect(second.asked).toEqual([]);
    expect(second.broker.snapshot().entries.map((entry) => [entry.profile, entry.state])).toEqual([
      ['admin', 'fresh'],
      ['keys', 'fresh'],
    ]);
  });
});
