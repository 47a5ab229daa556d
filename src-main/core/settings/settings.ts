import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultRefreshPolicy, type RefreshPolicy } from '../broker/refresh-policy';

/**
 * `<ROLECALL_HOME>/settings.json`: user-editable, non-secret. Every field is optional; a missing
 * or broken file means defaults plus a warning, never a failure to start.
 */
const settingsSchema = z
  .object({
    refresh: z
      .object({
        /** Renew so that served credentials keep at least this many minutes (default 20). */
        minRemainingMinutes: z.number().min(1).max(720).optional(),
        /** Renew short-lived credentials at this fraction of their lifetime (default 0.5). */
        lifetimeFraction: z.number().min(0.1).max(0.9).optional(),
        /** Renew every loaded profile at least this often, in minutes (default: only by expiry). */
        everyMinutes: z.number().min(1).max(10_080).optional(),
        /** Start renewals up to this many seconds early at random (default 120). */
        maxJitterSeconds: z.number().min(0).max(3600).optional(),
        /** Longest wait between retries of a failing source, in seconds (default 300). */
        backoffMaxSeconds: z.number().min(5).max(3600).optional(),
        /** Warn this many minutes before credentials that can't be renewed expire (default 15). */
        expiringSoonMinutes: z.number().min(1).max(720).optional(),
      })
      .strict()
      .optional(),
    server: z
      .object({
        /** Serve HTTPS with a local CA (like `rolecall serve --tls`). */
        tls: z.boolean().optional(),
      })
      .strict()
      .optional(),
    sso: z
      .object({
        /** How discovered roles are named: {AccountName}, {AccountId}, {RoleName}, {EmailAddress}. */
        profileNameFormat: z.string().min(1).max(200).optional(),
        /** Mirror sign-ins into ~/.aws/sso/cache (access token only) for the AWS CLI. Default true. */
        shareWithAwsCli: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;

export const SETTINGS_FILE = 'settings.json';

export interface LoadedSettings {
  settings: Settings;
  policy: RefreshPolicy;
  warnings: string[];
}

export async function loadSettings(home: string): Promise<LoadedSettings> {
  const path = join(home, SETTINGS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fromSettings({}, []);
    return fromSettings({}, [
      `Could not read ${path} (${(error as Error).message}); using default settings.`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fromSettings({}, [
      `${path} is not valid JSON; using default settings until it is fixed.`,
    ]);
  }
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`)
      .join('; ');
    return fromSettings({}, [
      `${path} has settings Rolecall does not accept (${problems}); using default settings.`,
    ]);
  }
  return fromSettings(parsed.data, []);
}

const MINUTE = 60_000;

export function policyFromSettings(settings: Settings): RefreshPolicy {
  const refresh = settings.refresh ?? {};
  return {
    ...defaultRefreshPolicy,
    ...(refresh.minRemainingMinutes !== undefined && {
      minRemainingMs: refresh.minRemainingMinutes * MINUTE,
    }),
    ...(refresh.lifetimeFraction !== undefined && { lifetimeFraction: refresh.lifetimeFraction }),
    ...(refresh.everyMinutes !== undefined && { everyMs: refresh.everyMinutes * MINUTE }),
    ...(refresh.maxJitterSeconds !== undefined && { maxJitterMs: refresh.maxJitterSeconds * 1000 }),
    ...(refresh.backoffMaxSeconds !== undefined && {
      backoffMaxMs: refresh.backoffMaxSeconds * 1000,
    }),
    ...(refresh.expiringSoonMinutes !== undefined && {
      expiringSoonMs: refresh.expiringSoonMinutes * MINUTE,
    }),
  };
}

function fromSettings(settings: Settings, warnings: string[]): LoadedSettings {
  return { settings, policy: policyFromSettings(settings), warnings };
}
