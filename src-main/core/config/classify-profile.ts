import { splitCommand } from '../sources/split-command';
import {
  classifyAssumeRole,
  classifyWebIdentity,
  mfaDevice,
  type ProfileBase,
} from './classify-role';
import { classifyCognito, COGNITO_KEYS } from './classify-cognito';
import { classifySso } from './classify-sso';
import type { IniValue } from './ini-reader';
import type {
  KeysLocation,
  ProfileConfig,
  ResolvedProfileFiles,
  StaticProfile,
} from './profile-config';
import { rolecallHelperProfile } from './rolecall-helper';
import type { SsoSessions } from './sso-sessions';

type IniSection = Readonly<Record<string, IniValue | undefined>>;
export type TextSettings = Readonly<Record<string, string | undefined>>;

/** One profile's settings from each file (absent when not there). */
export interface ProfileSections {
  config?: IniSection;
  credentials?: IniSection;
}

export interface Classified {
  profile: ProfileConfig;
  warnings: string[];
}

/** A profile as the AWS CLI sees it on its own, and what it gives as another's source_profile. */
export interface ClassifiedProfile extends Classified {
  /**
   * What the profile's credentials are when another profile names it in source_profile. The same
   * as `profile`, except for a profile that assumes a role and also holds keys: the AWS CLI then
   * uses its keys (or whatever else it holds), not its role.
   */
  asSource: ProfileConfig;
  /** It holds long-lived keys (either key, in either file, or in the keychain). */
  hasStaticKeys: boolean;
  /** It assumes a role with AssumeRole (role_arn without web_identity_token_file). */
  assumesRole: boolean;
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
  'cognito_user_pool_id',
];
/** Every setting Rolecall reads from a profile. */
const CREDENTIAL_KEYS = [
  ...SOURCE_KEYS,
  'aws_security_token',
  'aws_account_id',
  'region',
  'role_session_name',
  'external_id',
  'duration_seconds',
  'mfa_serial',
  'mfa_process',
  'sts_regional_endpoints',
  ...COGNITO_KEYS,
];

/**
 * Decides how a profile gets credentials, in the order the AWS CLI (botocore) checks when a
 * profile is named: role_arn (without web_identity_token_file) assumes a role whatever else is
 * there; then web identity, IAM Identity Center (a profile naming its account or role), keys in
 * the credentials file, `aws login`, credential_process, keys in the config file. Keys Rolecall
 * keeps in the keychain take the place of keys in the credentials file.
 *
 * A profile is classified on its own here; chains of source_profile are followed by the chain
 * pass (chains.ts), which sees every profile.
 */
export function classifyProfile(
  name: string,
  sections: ProfileSections,
  files: ResolvedProfileFiles,
  sessions: SsoSessions,
  keysInKeychain = false,
): ClassifiedProfile {
  // Credentials-file values win, as in botocore (and the AWS SDKs). No prototype: a setting
  // may have any name.
  const all: Record<string, IniValue | undefined> = Object.create(null) as Record<string, never>;
  Object.assign(all, sections.config, sections.credentials);
  const blockKey = CREDENTIAL_KEYS.find((key) => all[key] !== undefined && !isText(all[key]));
  const merged = all as TextSettings;
  const base: ProfileBase = {
    name,
    ...(typeof merged.region === 'string' && merged.region ? { region: merged.region } : {}),
  };
  if (blockKey !== undefined) {
    const profile: ProfileConfig = {
      ...base,
      kind: 'unsupported',
      reason: `its ${blockKey} has no value on its own line but indented \`name = value\` lines below it, which the AWS CLI reads as sub-settings, not as a value; put the value on the ${blockKey} line`,
    };
    return { profile, asSource: profile, warnings: [], hasStaticKeys: false, assumesRole: false };
  }
  const has = (key: string) => typeof merged[key] === 'string';
  // The file a key was read from, for messages that say where to fix it.
  const fileOf = (key: string): string =>
    sections.credentials?.[key] !== undefined || sections.config === undefined
      ? files.credentialsFile
      : files.configFile;
  const where = (key: string) => `Profile ${name} in ${fileOf(key)}`;
  const hasStaticKeys = keysInKeychain || has('aws_access_key_id') || has('aws_secret_access_key');

  // Rolecall's own kind, which the AWS CLI does not know: its role_arn belongs to the identity
  // pool's basic flow, not to AssumeRole.
  if (has('cognito_user_pool_id')) {
    const profile = classifyCognito(merged, base, fileOf('cognito_user_pool_id'));
    return { profile, asSource: profile, warnings: [], hasStaticKeys, assumesRole: false };
  }
  const asSource = classifyCredentials(name, sections, merged, base, files, sessions, {
    fileOf,
    keysInKeychain,
  });
  // botocore's AssumeRoleProvider leaves a profile with a web identity token file to the web
  // identity provider, even when it has role_arn.
  const assumesRole = has('role_arn') && !has('web_identity_token_file');
  if (!assumesRole) return { ...asSource, asSource: asSource.profile, hasStaticKeys, assumesRole };
  const role = classifyAssumeRole(name, merged, base, where, fileOf('role_arn'));
  return { ...role, asSource: asSource.profile, hasStaticKeys, assumesRole };
}

/** Every way but AssumeRole, in botocore's order (ProfileProviderBuilder.providers). */
function classifyCredentials(
  name: string,
  sections: ProfileSections,
  merged: TextSettings,
  base: ProfileBase,
  files: ResolvedProfileFiles,
  sessions: SsoSessions,
  { fileOf, keysInKeychain }: { fileOf: (key: string) => string; keysInKeychain: boolean },
): Classified {
  const has = (key: string) => typeof merged[key] === 'string';
  const nonEmpty = (key: string) => has(key) && merged[key] !== '';

  // botocore skips a web identity profile whose token file setting is empty.
  if (nonEmpty('web_identity_token_file')) {
    return classifyWebIdentity(name, merged, base, fileOf('web_identity_token_file'));
  }
  // The AWS CLI uses IAM Identity Center when the profile names an account or a role.
  if (has('sso_account_id') || has('sso_role_name')) {
    return classifySso(name, merged, base, fileOf, files, sessions);
  }
  const credentialsFileKeys = keysIn(sections.credentials);
  if (keysInKeychain) {
    const stillInFile = credentialsFileKeys
      ? files.credentialsFile
      : keysIn(sections.config)
        ? files.configFile
        : undefined;
    return staticProfile(name, merged, base, 'keychain', stillInFile);
  }
  if (credentialsFileKeys) {
    return staticProfile(
      name,
      merged,
      base,
      'credentials-file',
      files.credentialsFile,
      sections.credentials,
    );
  }
  if (has('login_session')) {
    const definedIn = fileOf('login_session');
    return {
      profile: {
        ...base,
        kind: 'login-session',
        loginSession: merged.login_session!,
        definedIn,
        ...(sdkReadsProfileName(name, definedIn === files.configFile)
          ? {}
          : {
              notLoadableReason: `it uses an \`aws login\` session, which Rolecall renews through the AWS SDK, and the SDK's file reader does not read a profile named ${JSON.stringify(name)} (it accepts letters, digits and - _ @ + . % : / only); rename the profile`,
            }),
      },
      warnings: [],
    };
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
  if (keysIn(sections.config)) {
    return staticProfile(name, merged, base, 'config-file', files.configFile, sections.config);
  }
  // A session or start URL without an account or role: a profile `rolecall login` lists roles for.
  if (SSO_KEYS.some(has)) return classifySso(name, merged, base, fileOf, files, sessions);
  if (has('web_identity_token_file')) {
    // Set but empty, which botocore skips.
    return {
      profile: {
        ...base,
        kind: 'unsupported',
        reason: 'its web_identity_token_file is empty; name the file that holds the token',
      },
      warnings: [],
    };
  }
  if (has('aws_secret_access_key')) {
    return {
      profile: {
        ...base,
        kind: 'unsupported',
        reason: `it has an aws_secret_access_key without its aws_access_key_id in the same file, which the AWS CLI ignores; put both keys in one section, or move them into the keychain with \`rolecall keys add ${name}\``,
      },
      warnings: [],
    };
  }
  return {
    profile: {
      ...base,
      kind: 'unsupported',
      reason:
        'it has no credential settings (role_arn, keys, sso_session, credential_process, web_identity_token_file or login_session)',
    },
    warnings: [],
  };
}

/** Whether a file's section holds keys the way botocore looks for them: an access key id. */
function keysIn(section: IniSection | undefined): boolean {
  return typeof section?.aws_access_key_id === 'string';
}

function staticProfile(
  name: string,
  merged: TextSettings,
  base: ProfileBase,
  keysIn: KeysLocation,
  definedIn: string | undefined,
  section?: IniSection,
): Classified {
  const mfa = mfaDevice(name, merged);
  const profile: StaticProfile = {
    ...base,
    kind: 'static',
    keysIn,
    ...(definedIn !== undefined ? { definedIn } : {}),
    ...(mfa ? { mfa } : {}),
  };
  if (section) {
    // botocore reads both keys from the one file, and refuses an id without its secret.
    if (typeof section.aws_secret_access_key !== 'string') {
      profile.notLoadableReason = `its aws_access_key_id in ${definedIn} has no aws_secret_access_key beside it, which the AWS CLI refuses too; add it, or store both keys in the keychain with \`rolecall keys add ${name}\``;
    } else if (section.aws_access_key_id === '' || section.aws_secret_access_key === '') {
      profile.notLoadableReason = `its ${section.aws_access_key_id === '' ? 'aws_access_key_id' : 'aws_secret_access_key'} in ${definedIn} is empty`;
    }
    if (
      typeof section.aws_session_token === 'string' ||
      typeof section.aws_security_token === 'string'
    ) {
      profile.hasSessionToken = true;
    }
  }
  return { profile, warnings: [] };
}

/**
 * Whether the AWS SDK for JavaScript's own file reader finds the profile under this name
 * (@smithy/shared-ini-file-loader): `[default]`, or a config-file `[profile <name>]` whose name is
 * ASCII letters, digits and `-_@+.%:/`. Section names of the credentials file are taken as they are.
 */
export function sdkReadsProfileName(name: string, inConfigFile: boolean): boolean {
  if (name === '__proto__') return false;
  if (!inConfigFile || name === 'default') return true;
  return /^[\w\-@+.%:/]+$/.test(name);
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
