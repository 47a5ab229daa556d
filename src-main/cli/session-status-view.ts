import type { SsoSessionView } from '../../src-shared/sso-session';
import { formatTimeLeft } from '../../src-shared/time';
import { waitingWhere } from '../core/sso/sign-in-lock';
import { formatTable } from './table';

/**
 * The IAM Identity Center part of `rolecall status`: each session, whether it is signed in and
 * when its sign-in ends; a sign-in waiting somewhere, and what to run for a session signed out.
 * Empty when no session is configured.
 */
export function formatSessionStatus(sessions: SsoSessionView[], now: number): string {
  if (sessions.length === 0) return '';
  const rows = sessions.map((session) => {
    const expiresAt = session.expiresAt ? Date.parse(session.expiresAt) : null;
    const ends = session.signedIn && expiresAt !== null;
    return [
      session.name,
      stateOf(session, now),
      ends ? formatTimeLeft(expiresAt - now) : '-',
      ends ? session.expiresAt! : '-',
    ];
  });
  const notes: string[] = [];
  for (const session of sessions) {
    if (session.signIn)
      notes.push(`${session.name}: a sign-in is waiting ${waitingWhere(session.signIn)}.`);
    else if (!session.signedIn)
      notes.push(`${session.name}: sign in with \`rolecall login ${session.name}\`.`);
  }
  if (sessions.some((session) => session.signedIn && session.renewable))
    notes.push(
      'A renewable sign-in gets a new token before it ends, until IAM Identity Center ends the session.',
    );
  return `\nIAM Identity Center\n${formatTable(['SESSION', 'STATE', 'ENDS IN', 'ENDS AT'], rows)}${notes
    .map((note) => `${note}\n`)
    .join('')}`;
}

function stateOf(session: SsoSessionView, now: number): string {
  if (session.signIn) return 'signing in';
  if (!session.signedIn) return 'not signed in';
  const expired = session.expiresAt !== null && Date.parse(session.expiresAt) <= now;
  if (session.renewable) return expired ? 'signed in, renews on use' : 'signed in, renewable';
  return 'signed in';
}
