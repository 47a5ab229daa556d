import { describe, expect, it } from 'vitest';
import {
  answerProblem,
  chainOf,
  questionSubject,
  questionTitle,
  questionsFor,
  waitingForWords,
  waitingWords,
} from './questions';
import type { Snapshot } from './snapshot';
import { entryView as entry, mfaQuestion, signInQuestion } from './testing/views';

const mfa = mfaQuestion();
const signIn = signInQuestion();

/** admin ← base (MFA); dev and ops on the session corp; other waits for nothing. */
const snapshot: Snapshot = {
  defaultProfile: 'admin',
  slots: ['dev', 'other'],
  entries: [
    entry('admin', { parents: ['base'], state: 'refreshing' }),
    entry('base', { state: 'needs-input', waitingFor: mfa.key }),
    entry('dev', { state: 'needs-input', waitingFor: signIn.key }),
    entry('ops', { state: 'needs-input', waitingFor: signIn.key }),
    entry('other'),
  ],
  inputRequests: [mfa, signIn],
};

describe('chainOf', () => {
  it('lists the profile, then its parents and theirs, nearest first', () => {
    const deep: Snapshot = {
      ...snapshot,
      entries: [entry('a', { parents: ['b'] }), entry('b', { parents: ['c'] }), entry('c')],
    };
    expect(chainOf(deep, 'a')).toEqual(['a', 'b', 'c']);
    expect(chainOf(deep, 'c')).toEqual(['c']);
  });

  it('stops at a loop instead of running forever', () => {
    const loop = { entries: [entry('a', { parents: ['b'] }), entry('b', { parents: ['a'] })] };
    expect(chainOf(loop, 'a')).toEqual(['a', 'b']);
  });
});

describe('questionsFor', () => {
  it("finds the question a profile's own entry waits for", () => {
    expect(questionsFor(snapshot, 'dev')).toEqual([signIn]);
  });

  it('finds the question a parent waits for, for the child made from it', () => {
    expect(questionsFor(snapshot, 'admin')).toEqual([mfa]);
  });

  it('finds a question that names the profile among those waiting, before its entry says so', () => {
    const early: Snapshot = { ...snapshot, entries: [], inputRequests: [signIn] };
    expect(questionsFor(early, 'ops')).toEqual([signIn]);
  });

  it('finds nothing for a profile that waits for no one, or that is not loaded', () => {
    expect(questionsFor(snapshot, 'other')).toEqual([]);
    expect(questionsFor(snapshot, 'nobody')).toEqual([]);
    expect(questionsFor({ entries: snapshot.entries }, 'dev')).toEqual([]);
  });
});

describe('question words', () => {
  it('titles each kind by its device or session', () => {
    expect(questionTitle(mfa)).toBe('MFA code needed for arn:aws:iam::123456789012:mfa/alice');
    expect(questionTitle(signIn)).toBe('Sign in again to corp');
  });

  it('falls back on the key when the question does not name its subject', () => {
    expect(questionSubject({ kind: 'mfa-code', key: 'mfa:serial-1' })).toBe('serial-1');
    expect(questionSubject({ kind: 'sign-in', key: 'sso:https://x.awsapps.com/start' })).toBe(
      'https://x.awsapps.com/start',
    );
  });

  it('names who waits, shortening long lists', () => {
    expect(waitingWords([])).toBe('nothing');
    expect(waitingWords(['dev'])).toBe('dev');
    expect(waitingWords(['dev', 'ops'])).toBe('dev and ops');
    expect(waitingWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(waitingWords(['a', 'b', 'c', 'd', 'e'])).toBe('a, b and 3 more');
  });

  it('says what a row waits for, and through which profile', () => {
    expect(waitingForWords(snapshot, 'dev')).toBe('waiting for a sign-in to corp');
    expect(waitingForWords(snapshot, 'base')).toBe(
      'waiting for the MFA code of arn:aws:iam::123456789012:mfa/alice',
    );
    expect(waitingForWords(snapshot, 'admin')).toBe(
      'waiting for the MFA code of arn:aws:iam::123456789012:mfa/alice (through base)',
    );
    expect(waitingForWords(snapshot, 'other')).toBeNull();
  });
});

describe('answers to a new-password question', () => {
  const question = { kind: 'new-password' as const };
  it('take any password that is not empty, as typed', () => {
    expect(answerProblem(question, ' spaces are part of it ')).toBeNull();
    expect(answerProblem(question, '')).toBe('Type the new password.');
    expect(answerProblem(question, 'x'.repeat(257))).toMatch(/longer than 256/);
  });
  it('are no MFA code check', () => {
    expect(answerProblem({ kind: 'mfa-code' }, 'Chosen-Password-2')).toMatch(/6 digits/);
    expect(answerProblem({ kind: 'mfa-code' }, ' 123456 ')).toBeNull();
  });
  it('name the user in titles', () => {
    expect(
      questionTitle({ kind: 'new-password', key: 'cognito-new-password:eu-west-1_X/alice' }),
    ).toBe('New password needed for eu-west-1_X/alice');
  });
});
