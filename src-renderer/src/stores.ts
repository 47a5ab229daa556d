import { create } from 'zustand';
import type { ProfileInfo } from '../../src-shared/profile';
import type { ServerInfo } from '../../src-shared/server-info';
import type { SettingsView } from '../../src-shared/settings';
import type { SignInStarted, SsoSessionView } from '../../src-shared/sso-session';
import { emptySnapshot, type Snapshot } from '../../src-shared/snapshot';

/** What the core last reported; written from outside React when the API answers or pushes. */
export const useSnapshotStore = create<{ snapshot: Snapshot }>(() => ({ snapshot: emptySnapshot }));

export const useProfilesStore = create<{ profiles: ProfileInfo[]; filter: string }>(() => ({
  profiles: [],
  filter: '',
}));

/**
 * Why this page cannot reach Rolecall, saying what to do next (a web UI link that was used,
 * expired or never opened; a session that ended with the server); null while it can.
 */
export const useAccessStore = create<{ problem: string | null }>(() => ({ problem: null }));

/** The last error in words, and what was being done. */
export const useErrorStore = create<{ error: string | null }>(() => ({ error: null }));

/** IAM Identity Center sessions, and what the user must do to finish a sign-in started here. */
export const useSessionsStore = create<{
  sessions: SsoSessionView[];
  started: SignInStarted | null;
}>(() => ({
  sessions: [],
  started: null,
}));

/** Where the credentials server listens (null while it is off). */
export const useServerStore = create<{ info: ServerInfo | null }>(() => ({ info: null }));

/** The settings as the core last reported them. */
export const useSettingsStore = create<{ view: SettingsView | null }>(() => ({ view: null }));
