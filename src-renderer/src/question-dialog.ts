import { mfaCodeSchema } from '../../src-shared/api';
import type { InputRequestView } from '../../src-shared/input-request';
import { chainOf, questionSubject, waitingWords } from '../../src-shared/questions';
import type { Snapshot } from '../../src-shared/snapshot';

/**
 * The window's question dialog as plain functions: which question it shows, what it says, and
 * whether what was typed is a code at all. The component only renders these.
 */

/**
 * One asking of a question, as the window saw it: put aside ("Later", Escape) or answered, it
 * is shown again only when asked anew or asked again with a reason (a refused code).
 */
export function askingOf(question: InputRequestView): string {
  return `${question.key}\u0000${question.since}\u0000${question.retryReason ?? ''}`;
}

/**
 * The question the dialog shows: the one the user asked for (a click on its notification or tray
 * item), if open; else the oldest open one not put aside. Null: the dialog is closed.
 */
export function questionToShow(
  open: readonly InputRequestView[],
  putAside: ReadonlySet<string>,
  wanted: string | null,
): InputRequestView | null {
  const asked = open.find((question) => question.key === wanted);
  if (asked) return asked;
  return open.find((question) => !putAside.has(askingOf(question))) ?? null;
}

/** Why what was typed is no MFA code, in the core's own words; null when it is one. */
export function codeProblem(typed: string): string | null {
  if (typed.trim() === '') return 'Type the code your MFA device shows.';
  const parsed = mfaCodeSchema.safeParse(typed.trim());
  return parsed.success ? null : `${parsed.error.issues[0]?.message ?? 'That is no MFA code'}.`;
}

/**
 * Who waits for the answer, in words: the profiles that asked, then the loaded ones made from
 * them. "base waits for it", "base and admin (made from base) wait for it". That what they hold
 * is served meanwhile is said only when one of them holds credentials: a first load holds none.
 */
export function whoWaits(snapshot: Pick<Snapshot, 'entries'>, question: InputRequestView): string {
  const made = snapshot.entries
    .filter((entry) => !question.waiting.includes(entry.profile))
    .filter((entry) =>
      chainOf(snapshot, entry.profile).some((name) => question.waiting.includes(name)),
    )
    .map((entry) => entry.profile);
  const asking = question.waiting.length > 0 ? waitingWords(question.waiting) : 'A profile';
  const names = made.length > 0 ? `${asking}, and ${waitingWords(made)} made from it,` : asking;
  const many = question.waiting.length + made.length > 1;
  const named = new Set([...question.waiting, ...made]);
  const holding = snapshot.entries.some(
    (entry) => named.has(entry.profile) && (entry.expiresAt !== null || entry.refreshedAt !== null),
  );
  const served = holding
    ? `; what ${many ? 'they hold is' : 'it holds is'} served until it expires`
    : '';
  return `${names} ${many ? 'wait' : 'waits'} for it${served}.`;
}

/** The field's label and the sentence under the title. */
export function questionWords(question: InputRequestView): { lead: string; confirmStop: string } {
  const subject = questionSubject(question);
  const who = question.waiting.length > 0 ? waitingWords(question.waiting) : 'the profiles waiting';
  if (question.kind === 'new-password')
    return {
      lead: `${question.prompt}. Rolecall sends it to Amazon Cognito and keeps it in the keychain.`,
      confirmStop: `Stop waiting for a new password? ${who} will fail to renew until loaded again.`,
    };
  return question.kind === 'sign-in'
    ? {
        lead: `The IAM Identity Center session ${subject} has ended. Sign in again, and every profile waiting on it goes on.`,
        confirmStop: `Stop waiting for the sign-in? ${who} will fail to renew until you sign in and load again.`,
      }
    : {
        lead: `Enter the code your MFA device ${subject} shows now.`,
        confirmStop: `Stop waiting for this code? ${who} will fail to renew until loaded again.`,
      };
}
