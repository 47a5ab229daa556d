import { join } from 'node:path';
import {
  DEFAULT_REFRESH_LEAD_MINUTES,
  DEFAULT_WARN_BEFORE_MINUTES,
  type SettingsPatch,
  type SettingsView,
} from '../../../src-shared/settings';
import type { RefreshPolicy } from '../broker/refresh-policy';
import { RolecallError } from '../errors';
import { SETTINGS_FILE, updateSettings, type Settings } from './settings';

/** Starting at login is the desktop app's business; the headless server has none. */
export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
}

export interface ServerSettings {
  port: number;
  tls: boolean;
}

export interface SettingsServiceOptions {
  home: string;
  initial: Settings;
  /** The port used when the settings name none. */
  defaultPort: number;
  /** What the running server uses now (port null while it is off). */
  inEffect(): { port: number | null; tls: boolean };
  /**
   * Moves the running server to new port/TLS settings; throws (leaving the old server up) when
   * it cannot. Absent where the server cannot be moved while running (`rolecall serve`).
   */
  applyServer?(next: ServerSettings): Promise<void>;
  /** Shown when saved server settings may differ from those in effect. */
  serverNote?: string;
  loginItem?: LoginItem;
  /** Receives every saved change (the broker's policy, the notification schedule). */
  onChange(settings: Settings, policy: RefreshPolicy): void;
}

export interface SettingsService {
  current(): Settings;
  view(): Promise<SettingsView>;
  update(patch: SettingsPatch): Promise<SettingsView>;
}

/**
 * The settings panel's backend: shows settings.json with defaults filled in, and saves changes
 * after applying those with side effects (moving the server, the login item) — so a change that
 * cannot be applied is not saved either.
 */
export function createSettingsService(options: SettingsServiceOptions): SettingsService {
  let settings = options.initial;

  const serverOf = (from: Settings): ServerSettings => ({
    port: from.server?.port ?? options.defaultPort,
    tls: from.server?.tls ?? false,
  });

  async function view(): Promise<SettingsView> {
    return {
      refreshLeadMinutes: settings.refresh?.minRemainingMinutes ?? DEFAULT_REFRESH_LEAD_MINUTES,
      notifications: {
        enabled: settings.notifications?.enabled ?? true,
        beforeMinutes: settings.notifications?.beforeMinutes ?? DEFAULT_WARN_BEFORE_MINUTES,
      },
      server: serverOf(settings),
      inEffect: options.inEffect(),
      ...(options.serverNote ? { serverNote: options.serverNote } : {}),
      launchAtLogin: options.loginItem ? await options.loginItem.isEnabled() : null,
      file: join(options.home, SETTINGS_FILE),
    };
  }

  async function update(patch: SettingsPatch): Promise<SettingsView> {
    if (patch.launchAtLogin !== undefined && !options.loginItem) {
      throw new RolecallError(
        'launch-at-login-unavailable',
        'Starting at login is set in the desktop app; for `rolecall serve`, use your system’s service manager.',
        501,
      );
    }
    const loaded = await updateSettings(
      options.home,
      (current) => applyPatch(current, patch),
      async (next) => {
        const before = serverOf(settings);
        const after = serverOf(next);
        const moved = before.port !== after.port || before.tls !== after.tls;
        if (moved && options.applyServer) await options.applyServer(after);
        if (patch.launchAtLogin !== undefined) {
          await options.loginItem?.setEnabled(patch.launchAtLogin);
        }
      },
    );
    settings = loaded.settings;
    options.onChange(loaded.settings, loaded.policy);
    return view();
  }

  return { current: () => settings, view, update };
}

/** The patch's fields over what the file holds; everything else in the file is kept as it is. */
export function applyPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Settings = { ...current };
  if (patch.refreshLeadMinutes !== undefined) {
    next.refresh = { ...current.refresh, minRemainingMinutes: patch.refreshLeadMinutes };
  }
  if (patch.notifications) {
    next.notifications = { ...current.notifications, ...patch.notifications };
  }
  if (patch.server) next.server = { ...current.server, ...patch.server };
  return next;
}
