import { create } from 'zustand';
import type { ImportOrigin } from '../../src-shared/import';
import type { ProfileInfo } from '../../src-shared/profile';
import type { ServerInfo } from '../../src-shared/server-info';
import type { SettingsView } from '../../src-shared/settings';
import type { SignInStarted, SsoSessionView } from '../../src-shared/sso-session';
import { emptySnapshot, isLaterSnapshot, type Snapshot } from '../../src-shared/snapshot';

/** What the core last reported; written from outside React when the API answers or pushes. */
export const useSnapshotStore = create<{ snapshot: Snapshot }>(() => ({ snapshot: emptySnapshot }));

/**
 * A snapshot the core pushed: shown as it comes. Pushes arrive in order on one stream, and the
 * first of a new stream (a restarted core counts its revisions from zero) replaces everything.
 */
export function showPushedSnapshot(snapshot: Snapshot): void {
  useSnapshotStore.setState({ snapshot });
}

/**
 * A snapshot in the answer to a call: shown unless a push already showed a later state. The
 * answer to "send this MFA code" can reach the page after the push that says the load it
 * finished is done, and would otherwise put the load back on screen as still running.
 */
export function showAnsweredSnapshot(snapshot: Snapshot): void {
  useSnapshotStore.setState((state) =>
    isLaterSnapshot(state.snapshot, snapshot) ? { snapshot } : state,
  );
}

/** Every profile, the filter typed over them, and whether they were listed yet at all. */
export const useProfilesStore = create<{
  profiles: ProfileInfo[];
  filter: string;
  listed: boolean;
}>(() => ({ profiles: [], filter: '', listed: false }));

/**
 * Why this page cannot reach Rolecall, saying what to do next (a web UI link that was used,
 * expired or never opened; a session that ended with the server); null while it can.
 */
export const useAccessStore = create<{ problem: string | null }>(() => ({ problem: null }));

/** The last error in words, and what was being done. */
export const useErrorStore = create<{ error: string | null }>(() => ({ error: null }));

/** A sign-in this window follows: null `started` while the core is still starting it. */
export interface FollowedSignIn {
  flow: 'device' | 'pkce';
  started: SignInStarted | null;
}

/**
 * IAM Identity Center sessions; the sign-ins this window started or found waiting, by session;
 * and why a sign-in action on a session failed here, shown beside that session.
 */
export const useSessionsStore = create<{
  sessions: SsoSessionView[];
  following: Record<string, FollowedSignIn>;
  errors: Record<string, string>;
}>(() => ({
  sessions: [],
  following: {},
  errors: {},
}));

/** Where the credentials server listens (null while it is off). */
export const useServerStore = create<{ info: ServerInfo | null }>(() => ({ info: null }));

/** The settings as the core last reported them. */
export const useSettingsStore = create<{ view: SettingsView | null }>(() => ({ view: null }));

/**
 * The question dialog: the askings the user put aside ("Later", Escape) — shown again only when
 * asked anew or refused — the question the user asked to see (a notification, the tray, an
 * Answer button), the asking whose answer is being checked, and why the last answer failed to
 * reach Rolecall.
 */
export const useQuestionStore = create<{
  putAside: ReadonlySet<string>;
  wanted: string | null;
  checking: string | null;
  error: string | null;
}>(() => ({ putAside: new Set(), wanted: null, checking: null, error: null }));

export type TabId = 'profiles' | 'server' | 'settings';

/**
 * The window's own view state: the tab shown, whether the command palette is open, and which
 * accounts are folded away.
 */
export const useViewStore = create<{
  tab: TabId;
  paletteOpen: boolean;
  collapsed: ReadonlySet<string>;
}>(() => ({ tab: 'profiles', paletteOpen: false, collapsed: new Set() }));

/** The "Move in" dialog: which tool it moves in from, or null when it is closed. */
export const useMoveInStore = create<{ from: ImportOrigin | null }>(() => ({ from: null }));
