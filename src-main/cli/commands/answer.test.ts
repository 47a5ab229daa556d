import { describe, expect, it } from 'vitest';
import type { InputRequestView } from '../../../src-shared/input-request';
import type { EntryView, Snapshot } from '../../../src-shared/snapshot';
import { entryView, mfaQuestion, signInQuestion } from '../../../src-shared/testing/views';
import { outcomeOf, pickQuestion } from './answer';

const mfa = mfaQuestion();
const signIn = signInQuestion({ waiting: ['dev'] });
const entry = (profile: string, more: Partial<EntryView> = {}): EntryView =>
  entryView(profile, { state: 'needs-input', ...more });
const snapshot = (inputRequests: InputRequestView[], entries: EntryView[] = []): Snapshot => ({
  defaultProfile: null,
  slots: [],
  entries: [
    entry('admin', { state: 'refreshing', parents: ['base'] }),
    entry('base', { waitingFor: mfa.key }),
    entry('dev', { waitingFor: signIn.key }),
    ...entries,
  ],
  inputRequests,
});

describe('pickQuestion', () => {
  const both = snapshot([mfa, signIn]);

  it('finds a question by a profile that waits, itself or through its chain', () => {
    expect(pickQuestion(both, 'base')).toBe(mfa);
    expect(pickQuestion(both, 'admin')).toBe(mfa);
    expect(pickQuestion(both, 'dev')).toBe(signIn);
  });

  it('finds a question by its key, its MFA device or its session', () => {
    expect(pickQuestion(both, mfa.key)).toBe(mfa);
    expect(pickQuestion(both, 'arn:aws:iam::123456789012:mfa/alice')).toBe(mfa);
    expect(pickQuestion(both, 'corp')).toBe(signIn);
  });

  it('takes the only open question when none is named', () => {
    expect(pickQuestion(snapshot([signIn]), undefined)).toBe(signIn);
  });

  it('asks which one when several are open and none is named', () => {
    expect(() => pickQuestion(both, undefined)).toThrow(
      'Several questions wait; name one: `rolecall answer base` (MFA code needed for arn:aws:iam::123456789012:mfa/alice), `rolecall answer dev` (Sign in again to corp).',
    );
  });

  it('says so when nothing, or nothing by that name, waits', () => {
    expect(() => pickQuestion(snapshot([]), undefined)).toThrow(
      'No question is waiting for an answer.',
    );
    expect(() => pickQuestion(both, 'ops')).toThrow(
      'No question waits for ops. These do: `rolecall answer base`',
    );
  });
});

describe('outcomeOf', () => {
  const fast = { pollMs: 1, waitMs: 200 };
  const sequence = (...snapshots: Snapshot[]) => {
    let index = 0;
    return async () => snapshots[Math.min(index++, snapshots.length - 1)]!;
  };

  it('waits while the source tries the code, then tells it was accepted', async () => {
    const tryingBase: Snapshot = {
      ...snapshot([]),
      entries: [entry('base', { state: 'refreshing' })],
    };
    const renewed: Snapshot = { ...snapshot([]), entries: [entry('base', { state: 'fresh' })] };
    expect(await outcomeOf(sequence(tryingBase, tryingBase, renewed), mfa, fast)).toEqual({
      kind: 'accepted',
    });
  });

  it('tells a refusal: the question back with its reason', async () => {
    const refused = { ...mfa, retryReason: 'AWS refused the code.' };
    const unchanged = snapshot([mfa]);
    expect(await outcomeOf(sequence(unchanged, snapshot([refused])), mfa, fast)).toEqual({
      kind: 'refused',
      question: refused,
    });
  });

  it('tells a failure for another reason in its words', async () => {
    const failed: Snapshot = {
      ...snapshot([]),
      entries: [entry('base', { state: 'failed', lastError: 'STS is unreachable.' })],
    };
    expect(await outcomeOf(sequence(failed), mfa, fast)).toEqual({
      kind: 'failed',
      reason: 'STS is unreachable.',
    });
  });

  it('gives up telling after a while, leaving the source to it', async () => {
    const tryingBase: Snapshot = {
      ...snapshot([]),
      entries: [entry('base', { state: 'refreshing' })],
    };
    expect(await outcomeOf(sequence(tryingBase), mfa, { pollMs: 1, waitMs: 20 })).toEqual({
      kind: 'unknown',
    });
  });
});
