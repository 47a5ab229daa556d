import type { InputRequestView, Question } from './input-request';
import { MFA_CODE_MESSAGE, MFA_CODE_PATTERN } from './mfa-code';
import type { Snapshot } from './snapshot';

/**
 * Reading questions out of a snapshot the same way in every door (terminal, window, tray, web UI,
 * status): which questions a profile waits on, and how to name one in a few words.
 */

type Entries = Pick<Snapshot, 'entries'>;
type WithQuestions = Pick<Snapshot, 'entries' | 'inputRequests'>;

/**
 * The profile and every profile its credentials are made from, nearest first: the entry's
 * `parents`, then theirs. A loop (the broker refuses one, but a snapshot is only data) stops.
 */
export function chainOf(snapshot: Entries, profile: string): string[] {
  const byProfile = new Map(snapshot.entries.map((entry) => [entry.profile, entry]));
  const chain: string[] = [];
  const visit = (name: string) => {
    if (chain.includes(name)) return;
    chain.push(name);
    for (const parent of byProfile.get(name)?.parents ?? []) visit(parent);
  };
  visit(profile);
  return chain;
}

/**
 * The open questions a profile waits on, oldest first: its own, or one that a profile of its
 * chain waits on (an assumed role whose source profile needs an MFA code waits for that code).
 */
export function questionsFor(snapshot: WithQuestions, profile: string): InputRequestView[] {
  const chain = chainOf(snapshot, profile);
  const keys = new Set(
    snapshot.entries
      .filter((entry) => chain.includes(entry.profile) && entry.waitingFor !== undefined)
      .map((entry) => entry.waitingFor),
  );
  return (snapshot.inputRequests ?? []).filter(
    (request) => keys.has(request.key) || request.waiting.some((name) => chain.includes(name)),
  );
}

/** The MFA device or the IAM Identity Center session a question is about. */
export function questionSubject(
  question: Pick<Question, 'kind' | 'key' | 'mfaSerial' | 'ssoSession'>,
): string {
  const named = question.kind === 'sign-in' ? question.ssoSession : question.mfaSerial;
  return named ?? question.key.replace(/^(mfa|sso|cognito-mfa|cognito-new-password):/, '');
}

/** The longest answer the core takes (answerInput's limit). */
const MAX_ANSWER_LENGTH = 256;

/**
 * Why what was typed cannot answer the question, in words; null when it can. An MFA code must be
 * digits; a new password anything not empty (the user pool's policy is Cognito's to check).
 */
export function answerProblem(question: Pick<Question, 'kind'>, typed: string): string | null {
  if (question.kind === 'new-password') {
    if (typed === '') return 'Type the new password.';
    return typed.length > MAX_ANSWER_LENGTH
      ? `A password longer than ${MAX_ANSWER_LENGTH} characters cannot be sent.`
      : null;
  }
  return MFA_CODE_PATTERN.test(typed.trim()) ? null : `${MFA_CODE_MESSAGE}.`;
}

/** A question as a title: "MFA code needed for arn:…:mfa/alice", "Sign in again to corp". */
export function questionTitle(
  question: Pick<Question, 'kind' | 'key' | 'mfaSerial' | 'ssoSession'>,
): string {
  if (question.kind === 'new-password')
    return `New password needed for ${questionSubject(question)}`;
  return question.kind === 'sign-in'
    ? `Sign in again to ${questionSubject(question)}`
    : `MFA code needed for ${questionSubject(question)}`;
}

/** Who waits, in words: "dev", "dev and admin", "dev, admin and ops", "dev, admin and 3 more". */
export function waitingWords(waiting: readonly string[]): string {
  if (waiting.length <= 1) return waiting[0] ?? 'nothing';
  if (waiting.length <= 3) return `${waiting.slice(0, -1).join(', ')} and ${waiting.at(-1)!}`;
  return `${waiting.slice(0, 2).join(', ')} and ${waiting.length - 2} more`;
}

/**
 * What a loaded profile waits for, for its row: "waiting for the MFA code of arn:…", "waiting
 * for a sign-in to corp", with "(through base)" when a profile of its chain is the one asking.
 * Null when it waits for no one.
 */
export function waitingForWords(snapshot: WithQuestions, profile: string): string | null {
  const [question] = questionsFor(snapshot, profile);
  if (!question) return null;
  const what =
    question.kind === 'sign-in'
      ? `a sign-in to ${questionSubject(question)}`
      : question.kind === 'new-password'
        ? `a new password for ${questionSubject(question)}`
        : `the MFA code of ${questionSubject(question)}`;
  if (question.waiting.includes(profile)) return `waiting for ${what}`;
  const chain = chainOf(snapshot, profile);
  const through = question.waiting.filter((name) => chain.includes(name));
  return `waiting for ${what}${through.length > 0 ? ` (through ${through.join(', ')})` : ''}`;
}
