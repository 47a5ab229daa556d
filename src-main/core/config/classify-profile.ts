import { splitCommand } from '../sources/split-command';
import type { IniValue } from './ini-reader';
import type { ProfileConfig, ResolvedProfileFiles } from './profile-config';
import { rolecallHelperProfile } from './rolecall-helper';
import type { SsoSessions } from './sso-sessions';

type IniSection = Readonly<Record<string, IniValue | undefined>>;
type TextSettings = Readonly<Record<string, string | undefined>>;

/** One profile's settings from each file (absent when not there). */
export interface ProfileSections {
  config?: IniSection;
  credentials?: IniSection;
}

export interface Classified {
  profile: ProfileConfig;
  warnings: string[];
}

const SSO_KEYS = ['sso_session', 'sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name'];
/** Every setting that decides where a profile's credentials come from. */
export const SOURCE_KEYS = [
  'role_arn',
  'source_profile',
  'credential_source',
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'web_identity_token_file',
  'credential_process',
  ...SSO_KEYS,
  'login_session',
];
/** Every setting Rolecall reads from a profile. */
const CREDENTIAL_KEYS = [...SOURCE_KEYS, 'aws_account_id', 'region'];

/**
 * Decides how a profile gets credentials, checking in the order the AWS SDK's fromIni does
 * (assume role, static keys, web identity, credential_process, SSO, login), so a profile that
 * mixes settings is the kind the SDK would treat it as.
 */
export function classifyProfile(
  name: string,
  sections: ProfileSections,
  files: ResolvedProfileFiles,
  sessions: SsoSessions,
): Classified {
  // Credentials-file values win, as in botocore (and the AWS SDKs). No prototype: a setting
  // may have any name.
  const all: Record<string, IniValue | undefined> = Object.create(null) as Record<string, never>;
  Object.assign(all, sections.config, sections.credentials);
  const blockKey = CREDENTIAL_KEYS.find((key) => all[key] !== undefined && !isText(all[key]));
  const merged = all as TextSettings;
  const has = (key: string) => typeof merged[key] === 'string';
  const base = {
    name,
    ...(typeof merged.region === 'string' && merged.region ? { region: merged.region } : {}),
  };
  const unsupported = (reason: string, warnings: string[] = []): Classified => ({
    profile: { ...base, kind: 'unsupported', reason },
    warnings,
  });
  if (blockKey !== undefined) {
    return unsupported(
      `its ${blockKey} has no value on its own line but indented \`name = value\` lines below it, which the AWS CLI reads as sub-settings, not as a value; put the value on the ${blockKey} line`,
    );
  }
  // The file a key was read from, for messages that say where to fix it.
  const fileOf = (key: string): string =>
    sections.credentials?.[key] !== undefined || sections.config === undefined
      ? files.credentialsFile
      : files.configFile;

  if (has('role_arn') && has('source_profile') !== has('credential_source')) {
    const via = has('source_profile') ? 'source_profile' : 'credential_source';
    return unsupported(`it assumes a role (role_arn with ${via}), which Rolecall cannot load yet`);
  }
  if (has('aws_access_key_id') && has('aws_secret_access_key')) {
    return { profile: { ...base, kind: 'static' }, warnings: [] };
  }
  if (has('web_identity_token_file') && has('role_arn')) {
    return unsupported(
      'it uses a web identity token (web_identity_token_file), which Rolecall cannot load yet',
    );
  }
  const credentialProcess = merged.credential_process;
  if (credentialProcess !== undefined) {
    const definedIn = fileOf('credential_process');
    const notLoadable = commandProblem(credentialProcess, definedIn);
    return {
      profile: {
        ...base,
        kind: 'credential_process',
        credentialProcess,
        definedIn,
        ...(merged.aws_account_id ? { accountId: merged.aws_account_id } : {}),
        ...(notLoadable ? { notLoadableReason: notLoadable } : {}),
      },
      warnings: [],
    };
  }
  if (SSO_KEYS.some(has)) return classifySso(name, merged, base, fileOf, files, sessions);
  if (has('login_session')) {
    return unsupported(
      'it uses an AWS console sign-in session (login_session), which Rolecall cannot load yet',
    );
  }
  // Half a key pair: the SDK can't use it either, but it is still a long-lived-key profile.
  if (has('aws_access_key_id') || has('aws_secret_access_key')) {
    return { profile: { ...base, kind: 'static' }, warnings: [] };
  }
  if (has('role_arn')) {
    return unsupported('it sets role_arn without source_profile or credential_source');
  }
  return unsupported(
    'it has no credential settings (credential_process, sso_session or sso_start_url)',
  );
}

/**
 * Why a credential_process cannot be Rolecall's source, in words read after "Profile X cannot be
 * loaded: ", or undefined when it can be run.
 */
function commandProblem(command: string, definedIn: string): string | undefined {
  const split = splitCommand(command);
  if (!split.ok) {
    return `its credential_process in ${definedIn} can't be run: ${split.problem}`;
  }
  const helper = rolecallHelperProfile(split.argv);
  if (helper) {
    const target = helper.profile === undefined ? 'the profile it names' : helper.profile;
    return `its credential_process is Rolecall's own helper (\`rolecall credential-process\`), which asks Rolecall for credentials instead of giving it any; load ${target} instead`;
  }
  return undefined;
}

function isText(value: IniValue | undefined): value is string {
  return typeof value === 'string';
}

function classifySso(
  name: string,
  merged: TextSettings,
  base: { name: string; region?: string },
  fileOf: (key: string) => string,
  files: ResolvedProfileFiles,
  sessions: SsoSessions,
): Classified {
  const unsupported = (reason: string, warning?: string): Classified => ({
    profile: { ...base, kind: 'unsupported', reason },
    warnings: warning === undefined ? [] : [warning],
  });
  const where = (key: string) => `Profile ${name} in ${fileOf(key)}`;
  const accountAndRole = {
    ...(merged.sso_account_id ? { accountId: merged.sso_account_id } : {}),
    ...(merged.sso_role_name ? { roleName: merged.sso_role_name } : {}),
  };

  const ssoSession = merged.sso_session;
  if (ssoSession !== undefined) {
    const session = sessions.complete.get(ssoSession);
    if (!session) {
      const incomplete = sessions.incomplete.get(ssoSession);
      // An incomplete session was already warned about once, for all the profiles using it.
      if (incomplete !== undefined) return unsupported(incomplete);
      return unsupported(
        `its sso_session ${ssoSession} has no [sso-session ${ssoSession}] section in ${files.configFile}`,
        `${where('sso_session')} names sso_session ${ssoSession}, but there is no [sso-session ${ssoSession}] section in ${files.configFile}.`,
      );
    }
    // The SDK refuses a profile that contradicts its session (fromSSO: "Conflicting SSO ...").
    for (const [key, value] of [
      ['sso_start_url', session.startUrl],
      ['sso_region', session.ssoRegion],
    ] as const) {
      if (merged[key] !== undefined && merged[key] !== value) {
        return unsupported(
          `its ${key} differs from the one in [sso-session ${ssoSession}]`,
          `${where(key)} sets ${key} to something other than its [sso-session ${ssoSession}] does; remove it from the profile.`,
        );
      }
    }
    return {
      profile: {
        ...base,
        kind: 'sso',
        ssoSession,
        startUrl: session.startUrl,
        ssoRegion: session.ssoRegion,
        ...accountAndRole,
      },
      warnings: [],
    };
  }

  // Without sso_session, the SDK needs all four settings in the profile (validateSsoProfile).
  const { sso_start_url: startUrl, sso_region: ssoRegion } = merged;
  const { sso_account_id: accountId, sso_role_name: roleName } = merged;
  if (startUrl && ssoRegion && accountId && roleName) {
    return {
      profile: { ...base, kind: 'sso-legacy', startUrl, ssoRegion, accountId, roleName },
      warnings: [],
    };
  }
  const lacking = ['sso_start_url', 'sso_region', 'sso_account_id', 'sso_role_name']
    .filter((key) => !merged[key])
    .join(', ');
  return unsupported(
    `it is an IAM Identity Center profile without ${lacking}`,
    `${where('sso_start_url')} is an IAM Identity Center profile without ${lacking}; add them, or point it at an [sso-session] with sso_session.`,
  );
}
