import {
  settingsPatchSchema,
  type SettingsPatch,
  type SettingsView,
} from '../../src-shared/settings';

/** The form's fields as typed; numbers stay text until saved, so half-typed input is not lost. */
export interface Draft {
  refreshLead: string;
  notify: boolean;
  warnBefore: string;
  port: string;
  tls: boolean;
  launchAtLogin: boolean;
}

/** The fields a person types into, each of which can be wrong on its own. */
export type TypedField = 'refreshLead' | 'warnBefore' | 'port';

/** What is wrong with each typed field, in a sentence shown beside it. */
export type FieldProblems = Partial<Record<TypedField, string>>;

/**
 * botocore (the AWS CLI, boto3) fetches container credentials again once fewer than this many
 * minutes remain (its advisory refresh window), and again on every call while what it gets back
 * is no fresher; other SDKs refresh later (the JS SDK at 5 minutes). A refresh lead of at least
 * this keeps every one of them quiet.
 */
export const SDK_REFRESH_MINUTES = 15;

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

const WHOLE = /^\d+$/;

/** Where each field's value sits in a settings change, to place the schema's findings. */
function fieldAt(path: readonly PropertyKey[]): TypedField | null {
  const [first, second] = path;
  if (first === 'refreshLeadMinutes') return 'refreshLead';
  if (first === 'notifications' && second === 'beforeMinutes') return 'warnBefore';
  if (first === 'server' && second === 'port') return 'port';
  return null;
}

/** The shared schema speaks in phrases ("port must be 1024 or more"); the form in sentences. */
function sentence(phrase: string): string {
  const text = phrase.trim();
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Only what changed is sent. It is checked here with the same schema the core checks it with
 * (src-shared/settings.ts), so whatever the core would refuse is refused beside its field, in
 * words, before anything is sent. `other` carries a finding no field owns (none today).
 */
export function patchOf(
  draft: Draft,
  view: SettingsView,
): { patch: SettingsPatch; problems: FieldProblems; other: string[] } {
  const problems: FieldProblems = {};
  const patch: SettingsPatch = {};

  const lead = draft.refreshLead.trim();
  if (!WHOLE.test(lead)) {
    problems.refreshLead = 'Enter the refresh lead as a whole number of minutes, like 20.';
  } else if (Number(lead) !== view.refreshLeadMinutes) {
    patch.refreshLeadMinutes = Number(lead);
  }

  const notifications: NonNullable<SettingsPatch['notifications']> = {};
  if (draft.notify !== view.notifications.enabled) notifications.enabled = draft.notify;
  // With warnings off the field is disabled, so nothing typed there can be corrected: it is
  // neither checked nor sent until warnings are on again.
  if (draft.notify) {
    const parts = draft.warnBefore
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const notWhole = parts.find((part) => !WHOLE.test(part));
    if (notWhole !== undefined) {
      problems.warnBefore = `Enter whole minutes separated by commas, like 15, 2; “${notWhole}” is not a whole number.`;
    } else if (parts.join() !== view.notifications.beforeMinutes.join()) {
      notifications.beforeMinutes = parts.map(Number);
    }
  }
  if (Object.keys(notifications).length) patch.notifications = notifications;

  const port = draft.port.trim();
  const server: NonNullable<SettingsPatch['server']> = {};
  if (!WHOLE.test(port)) {
    problems.port = 'Enter the port as a whole number, like 4144.';
  } else if (Number(port) !== view.server.port) {
    server.port = Number(port);
  }
  if (draft.tls !== view.server.tls) server.tls = draft.tls;
  if (Object.keys(server).length) patch.server = server;

  if (view.launchAtLogin !== null && draft.launchAtLogin !== view.launchAtLogin)
    patch.launchAtLogin = draft.launchAtLogin;

  const other: string[] = [];
  const checked = settingsPatchSchema.safeParse(patch);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const field = fieldAt(issue.path);
      if (field === null) other.push(sentence(issue.message));
      else problems[field] ??= sentence(issue.message);
    }
  }
  return { patch, problems, other };
}

/**
 * While a person edits, the problems on screen follow what is typed: each goes once its field is
 * right (or disabled), and changes if the field is wrong in another way. None is added before
 * the next Save, so a half-typed value is not called wrong.
 */
export function recheck(shown: FieldProblems, draft: Draft, view: SettingsView): FieldProblems {
  const found = patchOf(draft, view).problems;
  const still: FieldProblems = {};
  for (const field of Object.keys(shown) as TypedField[]) {
    if (found[field]) still[field] = found[field];
  }
  return still;
}

/**
 * Allowed, but worth a word: a lead under the SDKs' own refresh window (see SDK_REFRESH_MINUTES).
 * Null when the lead is fine, or not a number yet (that is a problem, not a warning).
 */
export function refreshLeadWarning(refreshLead: string): string | null {
  const text = refreshLead.trim();
  if (!WHOLE.test(text)) return null;
  const minutes = Number(text);
  if (minutes < 1 || minutes >= SDK_REFRESH_MINUTES) return null;
  return `Under ${SDK_REFRESH_MINUTES} minutes, AWS SDKs fetch credentials again before Rolecall renews them, and keep asking on every request until it does.`;
}
