import { z } from 'zod';

/**
 * The settings a UI can change, and their bounds. `settings.json` (src-main/core/settings) is
 * built from the same field schemas, so the file and the UI cannot disagree on what is allowed.
 */
export const refreshLeadMinutesSchema = z
  .number()
  .int('refresh lead must be whole minutes')
  .min(1, 'refresh lead must be at least 1 minute')
  .max(720, 'refresh lead must be at most 720 minutes');

export const warnBeforeMinutesSchema = z
  .array(
    z
      .number()
      .int('warning times must be whole minutes')
      .min(1, 'warning times must be at least 1 minute')
      .max(720, 'warning times must be at most 720 minutes'),
  )
  .max(5, 'at most 5 warning times');

/** Below 1024 needs administrator rights on most systems; a user tool should not ask for them. */
export const serverPortSchema = z
  .number()
  .int('port must be a whole number')
  .min(1024, 'port must be 1024 or more')
  .max(65_535, 'port must be 65535 or less');

/**
 * How long session credentials made from long-lived keys last (GetSessionToken), in hours:
 * STS's bounds for an IAM user's keys, 15 minutes to 36 hours (an account's root keys get one
 * hour whatever is asked).
 */
export const sessionHoursSchema = z
  .number()
  .min(0.25, 'session length must be at least 0.25 hours (15 minutes)')
  .max(36, 'session length must be at most 36 hours, the longest STS gives');

/** GetSessionToken's own default, and aws-vault's. */
export const DEFAULT_SESSION_HOURS = 12;

/**
 * How long a console session opened by Rolecall lasts, in hours: the federation endpoint's
 * bounds for `SessionDuration`, 15 minutes to 12 hours.
 */
export const consoleSessionHoursSchema = z
  .number()
  .min(0.25, 'console session length must be at least 0.25 hours (15 minutes)')
  .max(12, 'console session length must be at most 12 hours, the longest the AWS console gives');

/** The AWS sign-in endpoint's own default for role credentials, and IAM Identity Center's. */
export const DEFAULT_CONSOLE_SESSION_HOURS = 1;

export const DEFAULT_REFRESH_LEAD_MINUTES = 20;
export const DEFAULT_WARN_BEFORE_MINUTES = [15, 2];

/** What the settings panel shows. */
export interface SettingsView {
  /** Renew so that served credentials keep at least this many minutes. */
  refreshLeadMinutes: number;
  notifications: { enabled: boolean; beforeMinutes: number[] };
  /** What is saved for the credentials server. */
  server: { port: number; tls: boolean };
  /** What the server runs with now (port null while it is off). */
  inEffect: { port: number | null; tls: boolean };
  /** Why saved server settings are not (yet) in effect, when they may not be. */
  serverNote?: string;
  /** null where this Rolecall cannot start at login (the headless server). */
  launchAtLogin: boolean | null;
  /** Where the settings are kept. */
  file: string;
}

/** `notifications` in settings.json and in a change from the Settings panel alike. */
export const notificationSettingsSchema = z
  .object({
    /** Desktop notifications at all (default true). */
    enabled: z.boolean().optional(),
    /** Warn this many minutes before a sign-in or unrenewable credentials end (default 15, 2). */
    beforeMinutes: warnBeforeMinutesSchema.optional(),
  })
  .strict();

export const settingsPatchSchema = z
  .object({
    refreshLeadMinutes: refreshLeadMinutesSchema.optional(),
    notifications: notificationSettingsSchema.optional(),
    server: z
      .object({ port: serverPortSchema.optional(), tls: z.boolean().optional() })
      .strict()
      .optional(),
    launchAtLogin: z.boolean().optional(),
  })
  .strict();

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
