import { describe, expect, it } from 'vitest';
import type { EntryView } from '../../src-shared/snapshot';
import { entryView, mfaQuestion, signInQuestion } from '../../src-shared/testing/views';
import { askingOf, codeProblem, questionToShow, questionWords, whoWaits } from './question-dialog';

const mfa = mfaQuestion();
const signIn = signInQuestion();
const entry = (profile: string, parents?: string[]): EntryView =>
  entryView(profile, { state: 'needs-input', ...(parents ? { parents } : {}) });

/** The entry with credentials that expire in an hour. */
const held = (view: EntryView): EntryView => ({ ...view, expiresAt: '2026-01-01T13:00:00.000Z' });

describe('questionToShow', () => {
  it('shows the oldest open question', () => {
    expect(questionToShow([mfa, signIn], new Set(), null)).toBe(mfa);
  });

  it('skips a question put aside, and shows nothing when all are', () => {
    expect(questionToShow([mfa, signIn], new Set([askingOf(mfa)]), null)).toBe(signIn);
    expect(questionToShow([mfa], new Set([askingOf(mfa)]), null)).toBeNull();
  });

  it('shows a question put aside again when asked anew or refused', () => {
    const aside = new Set([askingOf(mfa)]);
    expect(
      questionToShow([{ ...mfa, since: '2026-01-01T13:00:00.000Z' }], aside, null),
    ).not.toBeNull();
    expect(
      questionToShow([{ ...mfa, retryReason: 'AWS refused the code.' }], aside, null),
    ).not.toBeNull();
  });

  it('shows the question the user clicked, put aside or not', () => {
    expect(questionToShow([mfa, signIn], new Set([askingOf(signIn)]), 'sso:corp')).toBe(signIn);
    expect(questionToShow([mfa], new Set(), 'sso:closed-meanwhile')).toBe(mfa);
  });
});

describe('codeProblem', () => {
  it("takes a code of 6 to 8 digits, and says what is wrong in the core's words", () => {
    expect(codeProblem('123456')).toBeNull();
    expect(codeProblem(' 12345678 ')).toBeNull();
    expect(codeProblem('')).toBe('Type the code your MFA device shows.');
    expect(codeProblem('12345')).toBe('MFA code must be the 6 digits your MFA device shows.');
    expect(codeProblem('12a456')).toBe('MFA code must be the 6 digits your MFA device shows.');
  });
});

describe('question words', () => {
  it('names who waits, with the loaded profiles made from them', () => {
    const snapshot = {
      entries: [entry('admin', ['base']), held(entry('base')), held(entry('other'))],
    };
    expect(whoWaits(snapshot, mfa)).toBe(
      'base, and admin made from it, wait for it; what they hold is served until it expires.',
    );
    expect(whoWaits({ entries: [held(entry('base'))] }, mfa)).toBe(
      'base waits for it; what it holds is served until it expires.',
    );
    expect(whoWaits({ entries: [] }, signIn)).toBe('dev and ops wait for it.');
  });

  it('says nothing is served meanwhile when none of them holds credentials yet', () => {
    const firstLoad = { entries: [entry('admin', ['base']), entry('base'), held(entry('other'))] };
    expect(whoWaits(firstLoad, mfa)).toBe('base, and admin made from it, wait for it.');
  });

  it('says what to do, and what stopping would mean', () => {
    expect(questionWords(mfa)).toEqual({
      lead: 'Enter the code your MFA device arn:aws:iam::123456789012:mfa/alice shows now.',
      confirmStop: 'Stop waiting for this code? base will fail to renew until loaded again.',
    });
    expect(questionWords(signIn).lead).toBe(
      'The IAM Identity Center session corp has ended. Sign in again, and every profile waiting on it goes on.',
    );
  });
});
