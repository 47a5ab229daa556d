import { describe, expect, it } from 'vitest';
import { FakeSource, fakeCredentials } from '../../../test/helpers/fake-source';
import { ManualClock } from '../../../test/helpers/manual-clock';
import { SourceError } from '../sources/source';
import { newEntry } from './entry';
import { defaultRefreshPolicy } from './refresh-policy';
import { FetchRun } from './fetch-run';
import { RenewalEngine, type RenewalOutcomes } from './renewal';

const MINUTE = 60_000;

/** An engine over one entry, recording what it told the broker. */
function setup(source: FakeSource, options: { current?: boolean; retries?: boolean } = {}) {
  const clock = new ManualClock();
  const entry = newEntry(source.profile, source, defaultRefreshPolicy);
  const told: string[] = [];
  const outcomes: RenewalOutcomes = {
    isCurrent: () => options.current ?? true,
    retries: () => options.retries ?? true,
    accepted: (accepted) => told.push(`accepted ${accepted.refreshCount}`),
    failed: (failed) => told.push(`failed ${failed.failures}: ${failed.lastError}`),
    inFlightChanged: (_, inFlight) => told.push(inFlight ? 'started' : 'ended'),
  };
  const engine = new RenewalEngine(clock, () => 0, outcomes);
  return { clock, entry, engine, told };
}

describe('RenewalEngine', () => {
  it('shares one fetch between every caller during it, and plans the next renewal', async () => {
    const creds = fakeCredentials({ expiresAt: Date.parse('2026-01-01T01:00:00Z') });
    const source = new FakeSource('dev', creds);
    source.hold();
    const { entry, engine, told } = setup(source);
    const callers = [engine.renew(entry), engine.renew(entry), engine.renew(entry)];
    source.release();
    expect(await Promise.all(callers)).toEqual([creds, creds, creds]);
    expect(source.calls).toBe(1);
    expect(told).toEqual(['started', 'accepted 1', 'ended']);
    expect(entry.nextRefreshAt).toBe(Date.parse('2026-01-01T00:40:00Z'));
    expect(entry.inflight).toBeNull();
  });

  it('backs off after a failure when the entry is retried, and not when it is not', async () => {
    const failing = () => new FakeSource('dev', new SourceError('dev', 'exit', 'boom'));
    const retried = setup(failing());
    await expect(retried.engine.renew(retried.entry)).rejects.toThrow('boom');
    expect(retried.entry.nextRefreshAt).toBe(retried.clock.now() + 5_000);
    expect(retried.told).toEqual(['started', 'failed 1: boom', 'ended']);

    const abandoned = setup(failing(), { retries: false });
    await expect(abandoned.engine.renew(abandoned.entry)).rejects.toThrow('boom');
    expect(abandoned.entry.nextRefreshAt).toBeNull();
  });

  it('fails a source that hangs after the time-out, in words', async () => {
    const source = new FakeSource('dev', fakeCredentials());
    source.hold();
    const { clock, entry, engine } = setup(source);
    const renewing = engine.renew(entry).catch((error: Error) => error);
    await clock.advance(2 * MINUTE);
    expect(await renewing).toMatchObject({
      status: 504,
      message: 'The source of profile dev did not answer within 120 s.',
    });
    source.release();
  });

  it('refuses credentials that are already dead', async () => {
    const source = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2025-12-31T23:00:00Z') }),
    );
    const { entry, engine } = setup(source);
    await expect(engine.renew(entry)).rejects.toThrow(
      'The source of profile dev returned credentials that expired at 2025-12-31T23:00:00.000Z.',
    );
    expect(entry.credentials).toBeNull();
  });

  it('hands the source a signal, and keeps a result its entry no longer wants out of it', async () => {
    const source = new FakeSource('dev', fakeCredentials());
    const { entry, engine, told } = setup(source, { current: false });
    await engine.renew(entry);
    expect(source.signals).toHaveLength(1);
    expect(entry.credentials).toBeNull();
    expect(told).toEqual(['started', 'ended']);
  });

  it('renews on demand only when what it holds is missing, or dying and due, and not while backing off', async () => {
    const source = new FakeSource(
      'dev',
      fakeCredentials({ expiresAt: Date.parse('2026-01-01T00:04:00Z') }),
    );
    const { clock, entry, engine } = setup(source);
    expect(engine.needsRenewalNow(entry)).toBe(true);
    await engine.renew(entry);
    // Four minutes left is inside the mandatory five, but they were just produced: they are
    // served until their planned renewal, at half their life.
    expect(entry.nextRefreshAt).toBe(Date.parse('2026-01-01T00:02:00Z'));
    expect(engine.needsRenewalNow(entry)).toBe(false);
    await clock.advance(2 * MINUTE);
    expect(engine.needsRenewalNow(entry)).toBe(true);
    entry.failures = 1;
    entry.nextRefreshAt = clock.now() + 5_000;
    expect(engine.needsRenewalNow(entry)).toBe(false);
  });

  it('makes an abort signal only for a source that asks for one, aborted or not', () => {
    const entry = newEntry('dev', null, defaultRefreshPolicy);
    const unasked = new FetchRun(entry, null);
    unasked.abort();
    const asked = new FetchRun(entry, null);
    const signal = asked.signal;
    expect(signal.aborted).toBe(false);
    asked.abort();
    expect(signal.aborted).toBe(true);
    // Asking after the abort still tells the truth.
    expect(unasked.signal.aborted).toBe(true);
  });
});
