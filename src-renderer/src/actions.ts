import type { EnvFormat } from '../../src-shared/env-formats';
import type { SettingsPatch } from '../../src-shared/settings';
import type { Snapshot } from '../../src-shared/snapshot';
import { openConsoleInTab } from './console-actions';
import { markProfileUsed } from './picks-store';
import { rolecallApi } from './rolecall';
import {
  showAnsweredSnapshot,
  useErrorStore,
  useProfilesStore,
  useServerStore,
  useSessionsStore,
  useSettingsStore,
} from './stores';

/** Runs an API call, putting its snapshot in the store and its error, in words, on screen. */
async function act(run: () => Promise<unknown>): Promise<void> {
  try {
    const result = await run();
    if (result && typeof result === 'object' && 'entries' in result) {
      showAnsweredSnapshot(result as Snapshot);
    }
    useErrorStore.setState({ error: null });
  } catch (error) {
    useErrorStore.setState({ error: error instanceof Error ? error.message : String(error) });
  }
}

/** Loads a profile into the default slot or its own; it becomes the most recently used. */
export const loadProfile = (profile: string, slot: boolean) =>
  act(async () => {
    const answer = await rolecallApi().loadProfile({ profile, slot });
    markProfileUsed(profile);
    return answer;
  });
export const unloadProfile = (profile: string) =>
  act(() => rolecallApi().unloadProfile({ profile }));
export const unloadAll = () => act(() => rolecallApi().unloadAll());

/**
 * Opens the AWS console, signed in as the profile: the desktop app's main process opens the
 * browser itself; a browser page opens a tab of its own.
 */
export const openConsole = (profile: string) =>
  act(async () => {
    const desktop = window.rolecall;
    if (desktop) await desktop.openConsole({ profile });
    else await openConsoleInTab(rolecallApi(), profile);
    markProfileUsed(profile);
    return null;
  });

export async function refreshAll(): Promise<void> {
  await act(async () => {
    const [snapshot, profiles, sessions, info] = await Promise.all([
      rolecallApi().getSnapshot(),
      rolecallApi()
        .listProfiles()
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      rolecallApi().listSessions(),
      // For the slots' URLs; an off server is a state to show, not an error.
      rolecallApi()
        .getServerInfo()
        .catch(() => null),
    ]);
    useSessionsStore.setState({ sessions });
    useServerStore.setState({ info });
    // An AWS config file Rolecall refuses lists no profile: what is loaded is still shown, and
    // the refusal takes the error's place.
    showAnsweredSnapshot(snapshot);
    if (profiles instanceof Error) {
      useProfilesStore.setState({ profiles: [], listed: true });
      throw profiles;
    }
    useProfilesStore.setState({ profiles, listed: true });
    return snapshot;
  });
}

export const signOut = (session: string) =>
  act(async () => {
    const snapshot = await rolecallApi().signOut({ session });
    await refreshAll();
    return snapshot;
  });

/** The server's address; an off server is a state to show, not an error. */
export const refreshServerInfo = () =>
  act(async () => {
    const info = await rolecallApi()
      .getServerInfo()
      .catch(() => null);
    useServerStore.setState({ info });
    return null;
  });

export type CopyOutcome = { copied: true } | { copied: false; text: string };

/** Like `act`, for calls whose answer the caller needs: the answer, or null once shown as an error. */
async function answer<T>(run: () => Promise<T>): Promise<T | null> {
  let result: T | null = null;
  await act(async () => {
    result = await run();
    return null;
  });
  return result;
}

/**
 * Puts the exports on the clipboard. Where the clipboard refuses (no permission, no focus), the
 * text is handed back so the page can show it for copying by hand. Null when the call failed.
 */
export const copyEnvExports = (profile: string | undefined, format: EnvFormat) =>
  answer(async (): Promise<CopyOutcome> => {
    const { text } = await rolecallApi().getEnvExports({ format, ...(profile ? { profile } : {}) });
    try {
      await navigator.clipboard.writeText(text);
      return { copied: true };
    } catch {
      return { copied: false, text };
    }
  });

/** The Authorization value, for the one component that shows it while the user asks to. */
export const revealToken = () =>
  answer(async () => (await rolecallApi().revealToken()).authorization);

/** The page's own session is not the bearer token, so it goes on as it was. */
export const rotateToken = () =>
  answer(async () => (await rolecallApi().rotateToken()).authorization);

export const refreshSettings = () =>
  act(async () => {
    useSettingsStore.setState({ view: await rolecallApi().getSettings() });
    return null;
  });

/**
 * Saves a change: null once saved, else why the core refused it, in words. The settings form
 * shows that beside its Save button, so it is not left at the top of the window on other tabs.
 */
export async function saveSettings(patch: SettingsPatch): Promise<string | null> {
  try {
    useSettingsStore.setState({ view: await rolecallApi().updateSettings(patch) });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  await refreshServerInfo();
  return null;
}

/** Renews a bearer token now; the issuer's refusal, in words, shows as the error. */
export const renewToken = (name: string) => act(() => rolecallApi().renewToken({ name }));
/** Removes a bearer token and its secrets from the keychain (the window confirmed it first). */
export const removeToken = (name: string) => act(() => rolecallApi().removeToken({ name }));
