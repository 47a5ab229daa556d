import type { SettingsPatch, SettingsView } from '../../src-shared/settings';

/** The form's fields as typed; numbers stay text until saved, so half-typed input is not lost. */
export interface Draft {
  refreshLead: string;
  notify: boolean;
  warnBefore: string;
  port: string;
  tls: boolean;
  launchAtLogin: boolean;
}

export function draftOf(view: SettingsView): Draft {
  return {
    refreshLead: String(view.refreshLeadMinutes),
    notify: view.notifications.enabled,
    warnBefore: view.notifications.beforeMinutes.join(', '),
    port: String(view.server.port),
    tls: view.server.tls,
    launchAtLogin: view.launchAtLogin ?? false,
  };
}

/** Only what changed is sent; the core validates it again and answers with the saved settings. */
export function patchOf(
  draft: Draft,
  view: SettingsView,
): { patch: SettingsPatch; problems: string[] } {
  const problems: string[] = [];
  const whole = (text: string, what: string): number | undefined => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim())) problems.push(`${what} must be a whole number.`);
    return Number.isInteger(value) ? value : undefined;
  };
  const patch: SettingsPatch = {};
  const lead = whole(draft.refreshLead, 'Refresh lead');
  if (lead !== undefined && lead !== view.refreshLeadMinutes) patch.refreshLeadMinutes = lead;

  const warnings = draft.warnBefore
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => whole(part, `Warning time "${part}"`))
    .filter((value): value is number => value !== undefined);
  const notifications: NonNullable<SettingsPatch['notifications']> = {};
  if (draft.notify !== view.notifications.enabled) notifications.enabled = draft.notify;
  if (warnings.join() !== view.notifications.beforeMinutes.join())
    notifications.beforeMinutes = warnings;
  if (Object.keys(notifications).length) patch.notifications = notifications;

  const port = whole(draft.port, 'Port');
  const server: NonNullable<SettingsPatch['server']> = {};
  if (port !== undefined && port !== view.server.port) server.port = port;
  if (draft.tls !== view.server.tls) server.tls = draft.tls;
  if (Object.keys(server).length) patch.server = server;

  if (view.launchAtLogin !== null && draft.launchAtLogin !== view.launchAtLogin)
    patch.launchAtLogin = draft.launchAtLogin;
  return { patch, problems };
}
