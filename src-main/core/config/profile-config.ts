import type { ProfileKind } from '../../../src-shared/profile';

/** Where to read the AWS shared config from; unset fields default the way the AWS SDKs do. */
export interface ProfileFiles {
  configFile?: string;
  credentialsFile?: string;
}

/** The two files a catalog was read from, as absolute paths. */
export interface ResolvedProfileFiles {
  configFile: string;
  credentialsFile: string;
}

interface ProfileBase {
  name: string;
  kind: ProfileKind;
  region?: string;
}

export interface CredentialProcessProfile extends ProfileBase {
  kind: 'credential_process';
  credentialProcess: string;
  /** The file the credential_process line came from, so error messages can say what to fix. */
  definedIn: string;
  /** `aws_account_id`, which the AWS SDK also reports for credential_process profiles. */
  accountId?: string;
  /**
   * Why Rolecall cannot run this command (shell syntax, or Rolecall's own helper), read after
   * "Profile X cannot be loaded: ".
   */
  notLoadableReason?: string;
}

export interface SsoProfile extends ProfileBase {
  kind: 'sso';
  ssoSession: string;
  startUrl: string;
  ssoRegion: string;
  accountId?: string;
  roleName?: string;
}

export interface LegacySsoProfile extends ProfileBase {
  kind: 'sso-legacy';
  startUrl: string;
  ssoRegion: string;
  accountId: string;
  roleName: string;
}

/** Long-lived keys. The catalog records only that they exist, never their values. */
export interface StaticProfile extends ProfileBase {
  kind: 'static';
}

export interface UnsupportedProfile extends ProfileBase {
  kind: 'unsupported';
  /** A sentence fragment a user can act on, e.g. "it assumes a role (role_arn), which ...". */
  reason: string;
}

export type ProfileConfig =
  CredentialProcessProfile | SsoProfile | LegacySsoProfile | StaticProfile | UnsupportedProfile;

/** An `[sso-session <name>]` section with everything needed to sign in. */
export interface SsoSessionConfig {
  name: string;
  startUrl: string;
  ssoRegion: string;
  /** `sso_registration_scopes`, comma-separated in the file. */
  registrationScopes?: string[];
}

export interface ProfileCatalog {
  /** Sorted by name. */
  profiles: ProfileConfig[];
  /** Complete sso-session sections only, sorted by name; incomplete ones produce a warning. */
  ssoSessions: SsoSessionConfig[];
  /** Problems a user should fix in their files, one sentence each, naming the file. */
  warnings: string[];
  /**
   * Files Rolecall refuses to read, one sentence each naming the file and line. While there is
   * one, `profiles` and `ssoSessions` are empty: nothing is loaded from either file.
   */
  refusals: string[];
  files: ResolvedProfileFiles;
}
