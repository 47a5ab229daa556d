import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultRefreshPolicy, type RefreshPolicy } from '../broker/refresh-policy';
import {
  consoleSessionHoursSchema,
  DEFAULT_CONSOLE_SESSION_HOURS,
  DEFAULT_SESSION_HOURS,
  refreshLeadMinutesSchema,
  serverPortSchema,
  notificationSettingsSchema,
  sessionHoursSchema,
} from '../../../src-shared/settings';
import { issuePhrases, markUnworded } from '../../../src-shared/validation-sentence';
import { RolecallError } from '../errors';
import { writePrivateFile } from '../runtime/private-file';
import { overrideProblem } from '../console/sign-in-endpoint';

/**
 * `<ROLECALL_HOME>/settings.json`: user-editable, non-secret. Every field is optional; a missing
 * or broken file means defaults plus a warning, never a failure to start. A field this version
 * does not know is ignored with a warning and kept when saving.
 */
const settingsSchema = z
  .object({
    refresh: z
      .object({
        /** Renew so that served credentials keep at least this many minutes (default 20). */
        minRemainingMinutes: refreshLeadMinutesSchema.optional(),
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
        /** Port of the credentials server (default 4144); --port and ROLECALL_PORT win over it. */
        port: serverPortSchema.optional(),
      })
      .strict()
      .optional(),
    notifications: notificationSettingsSchema.optional(),
    keys: z
      .object({
        /**
         * Hours the session credentials made from long-lived keys last (GetSessionToken; default
         * 12, at most 36). With MFA, a code is asked once per session.
         */
        sessionHours: sessionHoursSchema.optional(),
      })
      .strict()
      .optional(),
    console: z
      .object({
        /**
         * Hours a console session lasts (default 1, at most 12): asked of the sign-in endpoint
         * for role credentials, and the length of the federated user made from long-lived keys.
         */
        sessionHours: consoleSessionHoursSchema.optional(),
        /**
         * The federation endpoint to sign in at instead of the partition's own (an https URL;
         * plain http only on loopback). ROLECALL_SIGNIN_URL wins over it.
         */
        signInUrl: z
          .string()
          .superRefine((text, context) => {
            const problem = overrideProblem(text);
            if (problem !== null) context.addIssue({ code: 'custom', message: problem });
          })
          .optional(),
      })
      .strict()
      .optional(),
    updates: z
      .object({
        /** The desktop app checks GitHub Releases, downloads and installs at quit. Default true. */
        automatic: z.boolean().optional(),
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
export { settingsSchema };

export const SETTINGS_FILE = 'settings.json';

export interface LoadedSettings {
  settings: Settings;
  policy: RefreshPolicy;
  warnings: string[];
}

type SettingsFile =
  | { kind: 'missing' }
  | {
      kind: 'valid';
      settings: Settings;
      /**
       * Settings this version does not know (a newer version's, or a typo), by dotted path, and
       * the file as it was: they are ignored here and written back as they were when saving.
       */
      unknown: UnknownSetting[];
      raw: Record<string, unknown>;
    }
  | { kind: 'invalid'; problem: string };

interface UnknownSetting {
  path: string[];
  key: string;
}

async function readSettingsFile(path: string): Promise<SettingsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'invalid', problem: `Could not read ${path} (${(error as Error).message})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', problem: `${path} is not valid JSON` };
  }
  const parsed = settingsSchema.safeParse(json, markUnworded);
  if (parsed.success) return { kind: 'valid', settings: parsed.data, unknown: [], raw: {} };
  const unknown = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: issue.path.map(String), key }))
      : [],
  );
  const known = settingsSchema.safeParse(withoutUnknown(json, unknown), markUnworded);
  if (!known.success) {
    return {
      kind: 'invalid',
      problem: `${path} has settings Rolecall does not accept (${describeIssues(known.error)})`,
    };
  }
  return { kind: 'valid', settings: known.data, unknown, raw: json as Record<string, unknown> };
}

function withoutUnknown(json: unknown, unknown: UnknownSetting[]): unknown {
  const copy = structuredClone(json) as Record<string, unknown>;
  for (const { path, key } of unknown) {
    const parent = valueAt(copy, path);
    if (isObject(parent)) delete parent[key];
  }
  return copy;
}

/** The known settings, with every unknown one put back where the file had it. */
function withUnknown(
  settings: Settings,
  raw: Record<string, unknown>,
  unknown: UnknownSetting[],
): Record<string, unknown> {
  const result = structuredClone(settings) as Record<string, unknown>;
  for (const { path, key } of unknown) {
    let parent = result;
    for (const part of path) {
      const next = parent[part];
      if (!isObject(next)) parent[part] = {};
      parent = parent[part] as Record<string, unknown>;
    }
    parent[key] = (valueAt(raw, path) as Record<string, unknown>)[key];
  }
  return result;
}

function valueAt(root: unknown, path: string[]): unknown {
  return path.reduce<unknown>((value, part) => (isObject(value) ? value[part] : undefined), root);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownWarning(path: string, unknown: UnknownSetting[]): string[] {
  if (unknown.length === 0) return [];
  const names = unknown.map(({ path: at, key }) => [...at, key].join('.')).join(', ');
  return [
    unknown.length === 1
      ? `${path} has a setting this version of Rolecall does not know (${names}); it is ignored, and kept when settings are saved.`
      : `${path} has settings this version of Rolecall does not know (${names}); they are ignored, and kept when settings are saved.`,
  ];
}

export async function loadSettings(home: string): Promise<LoadedSettings> {
  const path = join(home, SETTINGS_FILE);
  const file = await readSettingsFile(path);
  if (file.kind === 'missing') return fromSettings({}, []);
  if (file.kind === 'invalid')
    return fromSettings({}, [`${file.problem}; using default settings until it is fixed.`]);
  return fromSettings(file.settings, unknownWarning(path, file.unknown));
}

/**
 * Changes settings.json: reads what is there, lets `change` edit it, validates the result and
 * writes it atomically (0600). A file the user broke by hand is never overwritten: the change is
 * refused with what is wrong, so their edits are not lost.
 */
export async function updateSettings(
  home: string,
  change: (current: Settings) => Settings,
  /** Runs after validation and before writing; if it throws, nothing is written. */
  beforeWrite?: (next: Settings) => Promise<void>,
): Promise<LoadedSettings> {
  const path = join(home, SETTINGS_FILE);
  const file = await readSettingsFile(path);
  if (file.kind === 'invalid') {
    throw new RolecallError(
      'settings-invalid',
      `${file.problem}. Fix or remove it before changing settings here.`,
      409,
    );
  }
  const next = settingsSchema.safeParse(
    change(file.kind === 'valid' ? file.settings : {}),
    markUnworded,
  );
  if (!next.success) {
    throw new RolecallError(
      'bad-settings',
      `Settings not saved: ${describeIssues(next.error)}.`,
      400,
    );
  }
  await beforeWrite?.(next.data);
  // A newer version's settings survive an older version saving its own.
  const written =
    file.kind === 'valid' ? withUnknown(next.data, file.raw, file.unknown) : next.data;
  await writePrivateFile(path, `${JSON.stringify(written, null, 2)}\n`);
  return fromSettings(next.data, []);
}

/** The file's keys are the names its editor knows, so every phrase carries its path. */
function describeIssues(error: z.ZodError): string {
  return issuePhrases(error.issues, { withPath: true }).join('; ');
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

/** How long a session made from long-lived keys is asked to last, in seconds. */
export function sessionDurationSeconds(settings: Settings): number {
  return (settings.keys?.sessionHours ?? DEFAULT_SESSION_HOURS) * 3600;
}

/** How long a console session is asked to last, in seconds. */
export function consoleSessionSeconds(settings: Settings): number {
  return (settings.console?.sessionHours ?? DEFAULT_CONSOLE_SESSION_HOURS) * 3600;
}

function fromSettings(settings: Settings, warnings: string[]): LoadedSettings {
  return { settings, policy: policyFromSettings(settings), warnings };
}
