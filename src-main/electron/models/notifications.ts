import type { InputRequestView } from '../../../src-shared/input-request';
import { questionSubject, waitingWords } from '../../../src-shared/questions';
import type { Snapshot, TokenView } from '../../../src-shared/snapshot';
import type { SsoSessionView } from '../../../src-shared/sso-session';
import { formatTimeLeft } from '../../../src-shared/time';

export interface Notice {
  /** Identifies what was announced, so nothing is announced twice. */
  key: string;
  title: string;
  body: string;
  /** Where a click leads: the window (on a question's dialog), or a browser sign-in. */
  action:
    | { kind: 'open-window'; profile?: string }
    | { kind: 'answer'; key: string }
    | { kind: 'sign-in'; session: string };
}

export interface NotificationInput {
  snapshot: Snapshot;
  sessions: SsoSessionView[];
  now: number;
  /** How long before expiry to warn, largest first; default 15 and 2 minutes. */
  warnBeforeMs?: number[];
  /** Keys already shown. */
  sent: ReadonlySet<string>;
}

const MINUTE = 60_000;
export const DEFAULT_WARN_BEFORE_MS = [15 * MINUTE, 2 * MINUTE];

/**
 * What to tell the user now, as a pure function of state and time: a question that waits for them
 * (an MFA code, a sign-in), before an unrenewable (or failing) credential or an SSO sign-in runs
 * out, when renewal keeps failing, and when something has ended. Each question and each crossed
 * threshold is announced once; when several thresholds were crossed at once (the laptop woke
 * up), only the most urgent is shown.
 */
export function notificationsDue(input: NotificationInput): {
  notices: Notice[];
  sent: Set<string>;
} {
  const sent = new Set(input.sent);
  const notices: Notice[] = [];
  const warnBefore = [...(input.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS)].sort((a, b) => b - a);
  const announce = (notice: Notice) => {
    if (sent.has(notice.key)) return;
    sent.add(notice.key);
    notices.push(notice);
  };

  // A session whose profiles ask for a sign-in is announced by its question, which says who
  // waits: not a second time as "signed out".
  const askingSessions = new Set<string>();
  for (const question of input.snapshot.inputRequests ?? []) {
    announce(questionNotice(question));
    if (question.kind === 'sign-in') askingSessions.add(questionSubject(question));
  }

  for (const entry of input.snapshot.entries) {
    const open = { kind: 'open-window' as const, profile: entry.profile };
    if (entry.state === 'stale' && entry.lastError) {
      announce({
        key: `${entry.profile}:failing:${entry.lastError}`,
        title: `Renewing ${entry.profile} is failing`,
        body: `${entry.lastError} Rolecall keeps serving the current credentials until they expire.`,
        action: open,
      });
    }
    if (!entry.expiresAt) continue;
    const expiresAt = Date.parse(entry.expiresAt);
    const base = `${entry.profile}:${entry.expiresAt}`;
    if (expiresAt <= input.now) {
      announce({
        key: `${base}:expired`,
        title: `${entry.profile} has expired`,
        body: entry.lastError ?? 'Load it again to get new credentials.',
        action: open,
      });
      continue;
    }
    const waitsForYou = entry.state === 'needs-input';
    const renewalExpected =
      entry.refreshable && entry.state !== 'stale' && entry.state !== 'failed' && !waitsForYou;
    if (renewalExpected) continue;
    warnOnce(warnBefore, expiresAt, input.now, base, sent, (threshold) =>
      announce({
        key: `${base}:warn:${threshold}`,
        title: `${entry.profile} expires in ${formatTimeLeft(expiresAt - input.now)}`,
        body: waitsForYou
          ? 'Its renewal waits for an answer from you; click to give it.'
          : entry.refreshable
            ? 'Renewal is failing; fix the cause or load it again.'
            : 'These credentials cannot be renewed.',
        action: open,
      }),
    );
  }

  for (const token of input.snapshot.tokens ?? [])
    tokenNotices(token, input.now, warnBefore, sent, announce);
  for (const session of input.sessions) {
    if (!session.expiresAt) continue;
    const expiresAt = Date.parse(session.expiresAt);
    const base = `session:${session.name}:${session.expiresAt}`;
    const signIn = { kind: 'sign-in' as const, session: session.name };
    if (askingSessions.has(session.name)) {
      sent.add(`${base}:ended`);
      continue;
    }
    if (expiresAt <= input.now) {
      announce({
        key: `${base}:ended`,
        title: `Signed out of ${session.name}`,
        body: 'The IAM Identity Center session ended. Click to sign in again.',
        action: signIn,
      });
      continue;
    }
    warnOnce(warnBefore, expiresAt, input.now, base, sent, (threshold) =>
      announce({
        key: `${base}:warn:${threshold}`,
        title: `${session.name} sign-in ends in ${formatTimeLeft(expiresAt - input.now)}`,
        body: 'Click to sign in again before it does.',
        action: signIn,
      }),
    );
  }
  return { notices, sent };
}

/**
 * A bearer token whose renewals stopped (a refused refresh token or client) runs out unless a
 * person acts: warned at each threshold, and told once when it has run out. Tokens that renew
 * by themselves need no warning.
 */
function tokenNotices(
  token: TokenView,
  now: number,
  warnBefore: number[],
  sent: Set<string>,
  announce: (notice: Notice) => void,
): void {
  if (token.renewable || !token.expiresAt) return;
  const expiresAt = Date.parse(token.expiresAt);
  const base = `token:${token.name}:${token.expiresAt}`;
  const open = { kind: 'open-window' as const };
  const why = token.lastError ?? 'Its renewals have stopped.';
  if (expiresAt <= now) {
    announce({
      key: `${base}:expired`,
      title: `Token ${token.name} has expired`,
      body: why,
      action: open,
    });
    return;
  }
  warnOnce(warnBefore, expiresAt, now, base, sent, (threshold) =>
    announce({
      key: `${base}:warn:${threshold}`,
      title: `Token ${token.name} expires in ${formatTimeLeft(expiresAt - now)}`,
      body: `It cannot be renewed: ${why}`,
      action: open,
    }),
  );
}

/**
 * A question, once per time it is asked: an MFA code opens the window on its dialog; a sign-in
 * starts the browser sign-in that answers it.
 */
function questionNotice(question: InputRequestView): Notice {
  const key = `question:${question.key}:${question.since}`;
  const who = question.waiting.length > 0 ? waitingWords(question.waiting) : 'a profile';
  if (question.kind === 'sign-in') {
    const session = questionSubject(question);
    return {
      key,
      title: `Sign in again to ${session}`,
      body: `The IAM Identity Center session has ended, and ${who} ${question.waiting.length > 1 ? 'wait' : 'waits'} for a new sign-in. Click to sign in again.`,
      action: { kind: 'sign-in', session },
    };
  }
  if (question.kind === 'new-password') {
    return {
      key,
      title: `New password needed for ${who}`,
      body: `${question.prompt}. Click to choose it.`,
      action: { kind: 'answer', key: question.key },
    };
  }
  return {
    key,
    title: `MFA code needed for ${who}`,
    body: `Rolecall needs a code from ${questionSubject(question)} to renew. Click to enter it.`,
    action: { kind: 'answer', key: question.key },
  };
}

/** Announces the most urgent crossed threshold and marks every crossed one as done. */
function warnOnce(
  thresholds: number[],
  expiresAt: number,
  now: number,
  base: string,
  sent: Set<string>,
  announce: (threshold: number) => void,
): void {
  const crossed = thresholds.filter((threshold) => now >= expiresAt - threshold);
  if (crossed.length === 0) return;
  const mostUrgent = crossed[crossed.length - 1]!;
  announce(mostUrgent);
  for (const threshold of crossed) sent.add(`${base}:warn:${threshold}`);
}
