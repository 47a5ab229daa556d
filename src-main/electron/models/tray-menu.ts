import type { ProfileInfo } from '../../../src-shared/profile';
import { questionSubject, waitingWords } from '../../../src-shared/questions';
import type { Snapshot, TokenView } from '../../../src-shared/snapshot';
import type { SsoSessionView } from '../../../src-shared/sso-session';
import { formatTimeLeft } from '../../../src-shared/time';

/** What a tray item does when clicked; the Electron adapter maps each to a RolecallApi call. */
export type TrayAction =
  | { kind: 'load'; profile: string; slot: boolean }
  | { kind: 'unload'; profile: string }
  | { kind: 'copy-env'; profile?: string }
  /** Opens the AWS console in the browser, signed in as the profile. */
  | { kind: 'open-console'; profile: string }
  | { kind: 'sign-in'; session: string }
  | { kind: 'sign-out'; session: string }
  /** Opens the window on the dialog of an open question. */
  | { kind: 'answer'; key: string }
  | { kind: 'open-window' }
  | { kind: 'toggle-server' }
  /** Puts the app's `rolecall` command on the PATH (installed app, macOS and Windows). */
  | { kind: 'install-cli' }
  /** Quits and installs the update already downloaded. */
  | { kind: 'install-update' }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'item'; label: string; action?: TrayAction; enabled?: boolean; checked?: boolean }
  | { type: 'separator' }
  | { type: 'submenu'; label: string; items: TrayItem[] };

export type TrayIconState = 'idle' | 'ok' | 'expiring' | 'error';

export interface TrayInput {
  snapshot: Snapshot;
  profiles: ProfileInfo[];
  sessions: SsoSessionView[];
  serverRunning: boolean;
  now: number;
  /** Below this much time left, the icon and the title say "expiring". */
  expiringSoonMs: number;
  /** Items about the app itself (installing the command, an update), shown above Quit. */
  appItems?: TrayItem[];
}

/**
 * The whole tray menu as data, from the snapshot alone: Electron's adapter only turns it into a
 * Menu. Order: questions waiting for the user, what is served now, switching, slots, sessions,
 * server, app.
 */
export function trayMenu(input: TrayInput): TrayItem[] {
  const { snapshot, now } = input;
  const items: TrayItem[] = [...questionItems(snapshot), ...failingTokenItems(snapshot, now)];
  if (items.length > 0) items.push({ type: 'separator' });
  const entry = (profile: string) =>
    snapshot.entries.find((candidate) => candidate.profile === profile);

  const current = snapshot.defaultProfile;
  items.push({
    type: 'item',
    enabled: false,
    label: current
      ? `${current} — ${timeLeftLabel(entry(current)?.expiresAt ?? null, entry(current)?.state, now)}`
      : 'No default profile',
  });
  if (current) {
    items.push(
      { type: 'item', label: 'Copy shell exports', action: { kind: 'copy-env' } },
      openConsoleItem(current, 'Open console'),
    );
  }

  items.push(
    { type: 'separator' },
    { type: 'submenu', label: 'Switch role', items: switchRoleItems(input.profiles, current) },
  );

  if (snapshot.slots.length > 0) {
    items.push({
      type: 'submenu',
      label: 'Slots',
      items: snapshot.slots.map((profile) => ({
        type: 'submenu' as const,
        label: `${profile} — ${timeLeftLabel(entry(profile)?.expiresAt ?? null, entry(profile)?.state, now)}`,
        items: [
          {
            type: 'item' as const,
            label: 'Copy shell exports',
            action: { kind: 'copy-env' as const, profile },
          },
          openConsoleItem(profile, 'Open console'),
          { type: 'item' as const, label: 'Unload', action: { kind: 'unload' as const, profile } },
        ],
      })),
    });
  }

  if (input.sessions.length > 0) {
    items.push({ type: 'separator' });
    for (const session of input.sessions) {
      items.push(
        session.signedIn
          ? {
              type: 'item',
              label: `Sign out of ${session.name}`,
              action: { kind: 'sign-out', session: session.name },
            }
          : {
              type: 'item',
              label: `Sign in to ${session.name}…`,
              action: { kind: 'sign-in', session: session.name },
            },
      );
    }
  }

  items.push(
    { type: 'separator' },
    { type: 'item', label: 'Open Rolecall', action: { kind: 'open-window' } },
    {
      type: 'item',
      label: input.serverRunning ? 'Stop the credentials server' : 'Start the credentials server',
      action: { kind: 'toggle-server' },
    },
    { type: 'separator' },
    ...(input.appItems ?? []),
    { type: 'item', label: 'Quit Rolecall', action: { kind: 'quit' } },
  );
  return items;
}

/**
 * One item per open question, first in the menu: "MFA code needed for base…" opens the window on
 * its dialog, "Sign in again to corp…" starts the browser sign-in that answers it.
 */
function questionItems(snapshot: Snapshot): TrayItem[] {
  return (snapshot.inputRequests ?? []).map((question): TrayItem => {
    if (question.kind === 'sign-in') {
      const session = questionSubject(question);
      return {
        type: 'item',
        label: `Sign in again to ${session}…`,
        action: { kind: 'sign-in', session },
      };
    }
    const who =
      question.waiting.length > 0 ? waitingWords(question.waiting) : questionSubject(question);
    return {
      type: 'item',
      label: `${question.kind === 'new-password' ? 'New password' : 'MFA code'} needed for ${who}…`,
      action: { kind: 'answer', key: question.key },
    };
  });
}

function openConsoleItem(profile: string, label: string): TrayItem {
  return { type: 'item', label, action: { kind: 'open-console', profile } };
}

/**
 * Loadable profiles grouped by account (name and id), the current one checked; below them, the
 * same roles to open the console as, so switching stays one click.
 */
function switchRoleItems(profiles: ProfileInfo[], current: string | null): TrayItem[] {
  const loadable = profiles.filter((profile) => profile.loadable);
  if (loadable.length === 0)
    return [{ type: 'item', label: 'No loadable profiles', enabled: false }];
  const groups = new Map<string, ProfileInfo[]>();
  for (const profile of loadable) {
    const account = profile.accountId
      ? `${profile.accountName ?? 'Account'} (${profile.accountId})`
      : 'Other profiles';
    groups.set(account, [...(groups.get(account) ?? []), profile]);
  }
  const accounts = [...groups.keys()].sort((a, b) =>
    a === 'Other profiles' ? 1 : b === 'Other profiles' ? -1 : a.localeCompare(b),
  );
  const labelOf = (profile: ProfileInfo) =>
    profile.roleName && profile.discovered ? profile.roleName : profile.name;
  return accounts.map((account) => {
    const members = groups.get(account)!;
    return {
      type: 'submenu' as const,
      label: account,
      items: [
        ...members.map((profile) => ({
          type: 'item' as const,
          label: labelOf(profile),
          checked: profile.name === current,
          action: { kind: 'load' as const, profile: profile.name, slot: false },
        })),
        { type: 'separator' as const },
        ...members.map((profile) =>
          openConsoleItem(profile.name, `Open console as ${labelOf(profile)}`),
        ),
      ],
    };
  });
}

/**
 * Bearer tokens that are not being served or will not renew by themselves (a refused client or
 * refresh token, an expired or failed token): each opens the window, where it can be renewed.
 */
export function failingTokenItems(snapshot: Snapshot, now: number): TrayItem[] {
  return (snapshot.tokens ?? [])
    .filter(
      (token) =>
        !token.renewable ||
        token.state === 'expired' ||
        token.state === 'failed' ||
        token.state === 'needs-input',
    )
    .map((token) => ({
      type: 'item' as const,
      label: `Token ${token.name} — ${tokenProblem(token, now)}`,
      action: { kind: 'open-window' as const },
    }));
}

function tokenProblem(token: TokenView, now: number): string {
  const left = token.expiresAt ? formatTimeLeft(Date.parse(token.expiresAt) - now) : null;
  if (token.state === 'expired' || left === 'expired') return 'expired';
  if (token.state === 'failed') return 'failed';
  const why = token.state === 'needs-input' ? 'needs a new refresh token' : 'cannot renew';
  return left ? `${why}, ${left} left` : why;
}

function timeLeftLabel(expiresAt: string | null, state: string | undefined, now: number): string {
  if (state === 'failed' || state === 'expired') return state;
  if (state === 'needs-input') {
    const left = expiresAt ? formatTimeLeft(Date.parse(expiresAt) - now) : null;
    return left && left !== 'expired' ? `${left} left, waiting for you` : 'waiting for you';
  }
  if (!expiresAt) return state === 'refreshing' ? 'refreshing' : 'does not expire';
  const left = formatTimeLeft(Date.parse(expiresAt) - now);
  return state === 'stale' ? `${left} left, renewal failing` : `${left} left`;
}

/**
 * The icon: error beats expiring beats ok; nothing loaded is idle. A profile waiting for an
 * answer (an MFA code, a sign-in) wants attention as renewal that fails does.
 */
export function trayIconState(
  snapshot: Snapshot,
  now: number,
  expiringSoonMs: number,
): TrayIconState {
  if (snapshot.entries.length === 0) return 'idle';
  if (snapshot.entries.some((entry) => entry.state === 'failed' || entry.state === 'expired'))
    return 'error';
  const expiring = snapshot.entries.some(
    (entry) =>
      entry.state === 'stale' ||
      entry.state === 'needs-input' ||
      (!entry.refreshable &&
        entry.expiresAt !== null &&
        Date.parse(entry.expiresAt) - now <= expiringSoonMs),
  );
  return expiring ? 'expiring' : 'ok';
}
